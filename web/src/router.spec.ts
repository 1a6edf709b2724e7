import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { ApiRequestError } from './api/index.js';
import type { AuthStatus } from '@importer/contracts';
import { createAppRouter, leaveEndedSession } from './router.js';
import { useGalleryStore } from './stores/gallery.store.js';
import { useSessionStore } from './stores/session.store.js';
import { account, authStatus, deferred, fakeApi, image, installStores } from './test-support/fake-api.js';

// The pages themselves are not under test here: each route's component is replaced by an empty one.
vi.mock('./pages/ImportPage.vue', () => ({ default: {} }));
vi.mock('./pages/JobsPage.vue', () => ({ default: {} }));
vi.mock('./pages/GalleryPage.vue', () => ({ default: {} }));
vi.mock('./pages/SetupPage.vue', () => ({ default: {} }));
vi.mock('./pages/SignInPage.vue', () => ({ default: {} }));
vi.mock('./pages/SignUpPage.vue', () => ({ default: {} }));
vi.mock('./pages/AccountPage.vue', () => ({ default: {} }));
vi.mock('./pages/AdminUsersPage.vue', () => ({ default: {} }));

describe('the router', () => {
  it('reads /auth/status before the first page, once, and sends a signed-out visitor to sign in', async () => {
    const status = vi.fn(async () => authStatus());
    installStores(fakeApi({ accounts: { status } }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/gallery?source=dropbox&job=j1');
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.next).toBe('/gallery?source=dropbox&job=j1');
    await router.push('/jobs');
    expect(status).toHaveBeenCalledTimes(1);
  });

  it('holds every page behind setup while it is due', async () => {
    installStores(fakeApi({ accounts: { status: async () => authStatus({ setup_required: true }) } }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/account');
    expect(router.currentRoute.value.name).toBe('setup');
  });

  it('opens the page asked for when the status could not be read, for the app to show why', async () => {
    installStores(fakeApi({ accounts: { status: () => Promise.reject(new ApiRequestError(0, 'network', 'The server could not be reached.')) } }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/jobs');
    expect(router.currentRoute.value.name).toBe('jobs');
    expect(useSessionStore().loadError).toBe('The server could not be reached.');
  });

  it('goes to sign-in when the session ends, to come back to the same page', async () => {
    installStores(fakeApi({ accounts: { status: async () => authStatus({ user: account() }) } }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/jobs/abc');
    expect(router.currentRoute.value.name).toBe('job');
    leaveEndedSession(router);
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('sign-in'));
    expect(router.currentRoute.value.query.next).toBe('/jobs/abc');
    expect(useSessionStore().user).toBeNull();
  });

  it("asks for the gallery's first page beside /auth/status, not after it, and the page keeps that answer", async () => {
    const status = deferred<AuthStatus>();
    const list = vi.fn(async () => ({ images: [image(0)], next_cursor: null, total: 1 }));
    installStores(fakeApi({ accounts: { status: () => status.promise }, images: { list } }));
    const router = createAppRouter(createMemoryHistory());
    const opening = router.push('/gallery?source=dropbox');
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
    expect(list.mock.calls[0]).toMatchObject([{ source: 'dropbox' }]);
    status.resolve(authStatus({ user: account() }));
    await opening;
    expect(router.currentRoute.value.name).toBe('gallery');
    const gallery = useGalleryStore();
    await gallery.show({ source: 'dropbox' });
    expect(gallery.images.map((i) => i.name)).toEqual(['photo_0.png']);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('asks for no gallery page for a visitor known to be signed out', async () => {
    const list = vi.fn();
    installStores(fakeApi({ accounts: { status: async () => authStatus() }, images: { list } }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/sign-in');
    await router.push('/gallery');
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(list).not.toHaveBeenCalled();
  });

  it("keeps the page to come back to when the gallery's early page is refused while the visitor is on the way to sign in", async () => {
    const list = vi.fn(() => Promise.reject(new ApiRequestError(401, 'unauthenticated', 'Sign in first.')));
    installStores(fakeApi({ accounts: { status: async () => authStatus() }, images: { list } }));
    const router = createAppRouter(createMemoryHistory());
    // The refusal lands as the first navigation heads for sign-in (the HTTP client reports it as an ended session).
    let reported = false;
    router.beforeEach((to) => {
      if (to.name === 'sign-in' && !reported) {
        reported = true;
        leaveEndedSession(router);
      }
    });
    await router.push('/gallery');
    await vi.waitFor(() => expect(reported).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.next).toBe('/gallery');
  });

  it("leaves a pending setup as it is when the gallery's early page is refused, before or after the visitor reached setup", async () => {
    const early = deferred<never>();
    installStores(fakeApi({ accounts: { status: async () => authStatus({ setup_required: true }) }, images: { list: () => early.promise } }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/gallery');
    expect(router.currentRoute.value.name).toBe('setup');
    // The HTTP client reports a 401 as an ended session, then fails the call.
    leaveEndedSession(router);
    early.reject(new ApiRequestError(401, 'unauthenticated', 'Sign in first.'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(router.currentRoute.value.name).toBe('setup');
    expect(useSessionStore().status?.setup_required).toBe(true);
  });
});
