import { createRouter, createWebHistory, type RouteLocationNormalized, type Router, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import { authRedirect, type PageAccess } from './lib/auth-guard.js';
import { galleryFilterOf } from './lib/gallery-filter.js';
import { useGalleryStore } from './stores/gallery.store.js';
import { useSessionStore } from './stores/session.store.js';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Who may open the page; `user` (anyone signed in) when left out. */
    access?: PageAccess;
    /** Asks for the page's first data as the navigation starts, beside `/auth/status` instead of after it and the page's code. */
    prefetch?: (to: RouteLocationNormalized) => void;
  }
}

// The pages' lazy loaders, for the guard to start one beside `/auth/status` (the browser fetches a module once).
const pageLoaders = new Set<() => Promise<unknown>>();
function lazyPage<T>(load: () => Promise<T>): () => Promise<T> {
  pageLoaders.add(load);
  return load;
}

/** Starts loading the first data and the code of the page `to` opens (the request first), without waiting for either. */
function startLoading(to: RouteLocationNormalized): void {
  to.meta.prefetch?.(to);
  for (const record of to.matched) {
    const component = record.components?.default;
    // The router loads it again itself and reports a failure; this early start has nothing to add.
    if (pageLoaders.has(component as () => Promise<unknown>)) void (component as () => Promise<unknown>)().catch(() => undefined);
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'import', component: lazyPage(() => import('./pages/ImportPage.vue')), meta: { title: 'Import' } },
  { path: '/jobs', name: 'jobs', component: lazyPage(() => import('./pages/JobsPage.vue')), meta: { title: 'Jobs' } },
  { path: '/jobs/:jobId', name: 'job', component: lazyPage(() => import('./pages/JobsPage.vue')), meta: { title: 'Job' } },
  { path: '/gallery', name: 'gallery', component: lazyPage(() => import('./pages/GalleryPage.vue')), meta: { title: 'Gallery', prefetch: (to) => void useGalleryStore().show(galleryFilterOf(to.query)) } },
  { path: '/setup', name: 'setup', component: lazyPage(() => import('./pages/SetupPage.vue')), meta: { title: 'Set up', access: 'setup' } },
  { path: '/sign-in', name: 'sign-in', component: lazyPage(() => import('./pages/SignInPage.vue')), meta: { title: 'Sign in', access: 'guest' } },
  { path: '/sign-up', name: 'sign-up', component: lazyPage(() => import('./pages/SignUpPage.vue')), meta: { title: 'Create an account', access: 'guest' } },
  { path: '/account', name: 'account', component: lazyPage(() => import('./pages/AccountPage.vue')), meta: { title: 'Account' } },
  { path: '/admin/users', name: 'admin-users', component: lazyPage(() => import('./pages/AdminUsersPage.vue')), meta: { title: 'Users', access: 'admin' } },
  { path: '/:unknown(.*)*', redirect: '/' },
];

/** The app's router: each navigation waits for `/auth/status` once, then goes where the session allows (see authRedirect). */
export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({ history, routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    const asked = session.status ?? session.refresh();
    // Unknown yet (the first load, which most often carries a session cookie) or signed in: the page may well open.
    if (!session.status || session.user) startLoading(to);
    const status = await asked;
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
  // Only a session this page knew of can end. A refusal of a request sent before /auth/status answered (the gallery's
  // early page) tells nothing new, and must not turn a pending setup into a sign-in: the guard sends the visitor on.
  if (!session.user) return;
  session.expire();
  const target = session.status && authRedirect(router.currentRoute.value, session.status);
  if (target) void router.replace(target);
}
