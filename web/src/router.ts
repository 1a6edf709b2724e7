import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'import', component: () => import('./pages/ImportPage.vue'), meta: { title: 'Import' } },
  { path: '/jobs', name: 'jobs', component: () => import('./pages/JobsPage.vue'), meta: { title: 'Jobs' } },
  { path: '/jobs/:jobId', name: 'job', component: () => import('./pages/JobsPage.vue'), meta: { title: 'Job' } },
  { path: '/gallery', name: 'gallery', component: () => import('./pages/GalleryPage.vue'), meta: { title: 'Gallery' } },
  { path: '/:unknown(.*)*', redirect: '/' },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.afterEach((to) => {
    document.title = `${String(to.meta.title ?? '')} · Image importer`;
  });
  return router;
}
