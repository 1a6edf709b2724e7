import { describe, expect, it, vi } from 'vitest';
import type { AuthStatus } from '@importer/contracts';
import { ApiRequestError } from '../api/index.js';
import { account, admin, authStatus, deferred, fakeApi, installStores, job } from '../test-support/fake-api.js';
import { useJobsStore } from './jobs.store.js';
import { useSessionStore } from './session.store.js';

const credentials = { email: 'ada@example.com', password: 'correct horse battery' };

describe('the session store', () => {
  it('asks /auth/status once however many ask at the same time, and knows who is signed in', async () => {
    const answer = deferred<AuthStatus>();
    const status = vi.fn(() => answer.promise);
    installStores(fakeApi({ accounts: { status } }));
    const session = useSessionStore();
    const first = session.refresh();
    const second = session.refresh();
    answer.resolve(authStatus({ user: admin() }));
    await expect(first).resolves.toMatchObject({ user: { role: 'admin' } });
    await expect(second).resolves.toMatchObject({ user: { role: 'admin' } });
    expect(status).toHaveBeenCalledTimes(1);
    expect(session.user?.email).toBe('root@example.com');
    expect(session.isAdmin).toBe(true);
  });

  it('says why the status could not be read, and has none to go on', async () => {
    installStores(fakeApi({ accounts: { status: () => Promise.reject(new ApiRequestError(0, 'network', 'The server could not be reached.')) } }));
    const session = useSessionStore();
    await expect(session.refresh()).resolves.toBeNull();
    expect(session.status).toBeNull();
    expect(session.loadError).toBe('The server could not be reached.');
  });

  it('signs in once however often the form is sent, and then has the user', async () => {
    const answer = deferred<{ user: ReturnType<typeof account> }>();
    const signIn = vi.fn(() => answer.promise);
    installStores(fakeApi({ accounts: { status: async () => authStatus(), signIn } }));
    const session = useSessionStore();
    await session.refresh();
    const first = session.signIn(credentials);
    await expect(session.signIn(credentials)).resolves.toBe(false);
    expect(session.submitting).toBe(true);
    answer.resolve({ user: account() });
    await expect(first).resolves.toBe(true);
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(signIn).toHaveBeenCalledWith(credentials);
    expect(session.user).toEqual(account());
    expect(session.isAdmin).toBe(false);
    expect(session.submitting).toBe(false);
  });

  it("keeps the API's refusal for the form, a rate limit's message included, and nobody is signed in", async () => {
    const limited = new ApiRequestError(429, 'rate_limited', 'Too many sign-in attempts; try again in 30 seconds.');
    installStores(fakeApi({ accounts: { status: async () => authStatus(), signIn: () => Promise.reject(limited) } }));
    const session = useSessionStore();
    await session.refresh();
    await expect(session.signIn(credentials)).resolves.toBe(false);
    expect(session.error).toEqual({ status: 429, code: 'rate_limited', message: limited.message });
    expect(session.user).toBeNull();
    session.clearError();
    expect(session.error).toBeNull();
  });

  it('creates the first administrator, after which setup is no longer due', async () => {
    const setup = vi.fn(async () => ({ user: admin() }));
    installStores(fakeApi({ accounts: { status: async () => authStatus({ setup_required: true }), setup } }));
    const session = useSessionStore();
    await session.refresh();
    await expect(session.setup(credentials)).resolves.toBe(true);
    expect(session.status).toMatchObject({ setup_required: false, user: { role: 'admin' } });
  });

  it('reads the status again when setup was finished elsewhere, so sign-in is offered', async () => {
    const status = vi.fn().mockResolvedValueOnce(authStatus({ setup_required: true })).mockResolvedValueOnce(authStatus());
    const setupDone = new ApiRequestError(409, 'setup_done', 'The administrator account exists already; sign in instead.');
    installStores(fakeApi({ accounts: { status, setup: () => Promise.reject(setupDone) } }));
    const session = useSessionStore();
    await session.refresh();
    await expect(session.setup(credentials)).resolves.toBe(false);
    await vi.waitFor(() => expect(session.status?.setup_required).toBe(false));
    expect(session.error?.code).toBe('setup_done');
    expect(status).toHaveBeenCalledTimes(2);
  });

  it('signs up into a new account', async () => {
    const signUp = vi.fn(async () => ({ user: account({ email: 'new@example.com' }) }));
    installStores(fakeApi({ accounts: { status: async () => authStatus({ sign_up: 'open' }), signUp } }));
    const session = useSessionStore();
    await session.refresh();
    await expect(session.signUp({ email: 'new@example.com', password: 'a long new password' })).resolves.toBe(true);
    expect(session.user?.email).toBe('new@example.com');
    expect(session.status?.sign_up).toBe('open');
  });

  it("signs out, and the last user's jobs go with them", async () => {
    const signOut = vi.fn(async () => undefined);
    installStores(fakeApi({ accounts: { status: async () => authStatus({ user: account() }), signOut }, jobs: { list: async () => ({ jobs: [job()], next_cursor: null }) } }));
    const session = useSessionStore();
    const jobs = useJobsStore();
    await session.refresh();
    await jobs.refresh();
    expect(jobs.jobs).toHaveLength(1);
    await expect(session.signOut()).resolves.toBe(true);
    expect(signOut).toHaveBeenCalledTimes(1);
    expect(session.user).toBeNull();
    expect(jobs.jobs).toEqual([]);
    expect(jobs.loaded).toBe(false);
  });

  it('forgets the user when the API says the session ended', async () => {
    installStores(fakeApi({ accounts: { status: async () => authStatus({ user: account() }) } }));
    const session = useSessionStore();
    await session.refresh();
    session.expire();
    expect(session.user).toBeNull();
    expect(session.status).toMatchObject({ setup_required: false, user: null });
  });

  it("sends the browser to the OIDC start under the API's base, with a full page load", async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    installStores(fakeApi({ accounts: { status: async () => authStatus({ oidc: { label: 'Sign in with Acme ID', start_path: '/auth/oidc/start' } }) } }));
    const session = useSessionStore();
    await session.refresh();
    session.startOidc();
    expect(assign).toHaveBeenCalledWith('/api/auth/oidc/start');
  });
});
