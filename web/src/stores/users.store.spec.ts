import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/index.js';
import { account, admin, deferred, fakeApi, installStores } from '../test-support/fake-api.js';
import { useUsersStore } from './users.store.js';

describe('the users store', () => {
  it('lists every account and adds one to the list', async () => {
    const create = vi.fn(async () => ({ user: account({ id: '66666666-6666-4666-8666-666666666666', email: 'new@example.com' }) }));
    installStores(fakeApi({ users: { list: async () => ({ users: [admin(), account()] }), create } }));
    const users = useUsersStore();
    await users.load();
    await expect(users.create({ email: ' new@example.com ', password: 'a long password', role: 'user' })).resolves.toBe(true);
    expect(create).toHaveBeenCalledWith({ email: 'new@example.com', password: 'a long password', role: 'user' });
    expect(users.users.map((u) => u.email)).toEqual(['root@example.com', 'ada@example.com', 'new@example.com']);
  });

  it('keeps a refusal to add someone for the form', async () => {
    installStores(fakeApi({ users: { create: () => Promise.reject(new ApiRequestError(409, 'email_taken', 'There is an account with that email already.')) } }));
    const users = useUsersStore();
    await expect(users.create({ email: 'ada@example.com', password: 'a long password', role: 'admin' })).resolves.toBe(false);
    expect(users.createError).toMatchObject({ status: 409, code: 'email_taken' });
  });

  it('disables and enables one user at a time, showing the answer', async () => {
    const answer = deferred<{ user: ReturnType<typeof account> }>();
    const disable = vi.fn(() => answer.promise);
    const enable = vi.fn(async () => ({ user: account() }));
    installStores(fakeApi({ users: { list: async () => ({ users: [account()] }), disable, enable } }));
    const users = useUsersStore();
    await users.load();
    const first = users.disable(account().id);
    void users.disable(account().id);
    expect(users.pending.has(account().id)).toBe(true);
    answer.resolve({ user: account({ disabled_at: '2026-11-22T08:00:00.000Z' }) });
    await first;
    expect(disable).toHaveBeenCalledTimes(1);
    expect(users.users[0]?.disabled_at).toBe('2026-11-22T08:00:00.000Z');
    await users.enable(account().id);
    expect(users.users[0]?.disabled_at).toBeNull();
  });
});
