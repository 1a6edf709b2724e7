import { createRouter, createWebHistory, type Router, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import { authRedirect, type PageAccess } from './lib/auth-guard.js';
import { useSessionStore } from './stores/session.store.js';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Who may open the page; `user` (anyone signed in) when left out. */
    access?: PageAccess;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'import', component: () => import('./pages/ImportPage.vue'), meta: { title: 'Import' } },
  { path: '/jobs', name: 'jobs', component: () => import('./pages/JobsPage.vue'), meta: { title: 'Jobs' } },
  { path: '/jobs/:jobId', name: 'job', component: () => import('./pages/JobsPage.vue'), meta: { title: 'Job' } },
  { path: '/gallery', name: 'gallery', component: () => import('./pages/GalleryPage.vue'), meta: { title: 'Gallery' } },
  { path: '/setup', name: 'setup', component: () => import('./pages/SetupPage.vue'), meta: { title: 'Set up', access: 'setup' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { title: 'Sign in', access: 'guest' } },
  { path: '/sign-up', name: 'sign-up', component: () => import('./pages/SignUpPage.vue'), meta: { title: 'Create an account', access: 'guest' } },
  { path: '/account', name: 'account', component: () => import('./pages/AccountPage.vue'), meta: { title: 'Account' } },
  { path: '/admin/users', name: 'admin-users', component: () => import('./pages/AdminUsersPage.vue'), meta: { title: 'Users', access: 'admin' } },
  { path: '/:unknown(.*)*', redirect: '/' },
];

/** The app's router: each navigation waits for `/auth/status` once, then goes where the session allows (see authRedirect). */
export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({ history, routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    const status = session.status ?? (await session.refresh());
    // Without a status the page opens as asked; App shows why the server could not be asked, with a retry.
    return status ? (authRedirect(to, status) ?? true) : true;
  });
  router.afterEach((to) => {
    document.title = `${String(to.meta.title ?? '')} · Image importer`;
  });
  return router;
}

/** The API said the session ended (a 401 `unauthenticated`): nobody is signed in, and sign-in brings the user back here. */
export function leaveEndedSession(router: Router): void {
  const session = useSessionStore();
  session.expire();
  const target = session.status && authRedirect(router.currentRoute.value, session.status);
  if (target) void router.replace(target);
}
