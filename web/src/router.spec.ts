import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { ApiRequestError } from './api/index.js';
import { createAppRouter, leaveEndedSession } from './router.js';
import { useSessionStore } from './stores/session.store.js';
import { account, authStatus, fakeApi, installStores } from './test-support/fake-api.js';

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
});
