import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/index.js';
import { account, apiKey, authStatus, deferred, fakeApi, installStores } from '../test-support/fake-api.js';
import { useAccountStore } from './account.store.js';
import { useSessionStore } from './session.store.js';

const NEW_KEY = 'imp_k3_s3cr3t-value-shown-once';

describe('the account store', () => {
  it('holds a new key for the page to show once, lists it first without its secret, and lets it go', async () => {
    const createApiKey = vi.fn(async () => ({ key: NEW_KEY, api_key: apiKey(3, { name: 'backup script' }) }));
    installStores(fakeApi({ accounts: { listApiKeys: async () => ({ api_keys: [apiKey(1)] }), createApiKey } }));
    const store = useAccountStore();
    await store.loadKeys();
    await expect(store.createKey('  backup script ')).resolves.toBe(true);
    expect(createApiKey).toHaveBeenCalledWith('backup script');
    expect(store.createdKey).toEqual({ key: NEW_KEY, apiKey: apiKey(3, { name: 'backup script' }) });
    expect(store.apiKeys.map((k) => k.name)).toEqual(['backup script', 'key 1']);
    expect(JSON.stringify(store.apiKeys)).not.toContain(NEW_KEY);
    store.dismissCreatedKey();
    expect(store.createdKey).toBeNull();
    expect(JSON.stringify(store.$state)).not.toContain(NEW_KEY);
  });

  it('creates one key however often the button is pressed, and keeps a refusal for the form', async () => {
    const answer = deferred<never>();
    const createApiKey = vi.fn(() => answer.promise);
    installStores(fakeApi({ accounts: { createApiKey } }));
    const store = useAccountStore();
    const first = store.createKey('a');
    await expect(store.createKey('a')).resolves.toBe(false);
    answer.reject(new ApiRequestError(400, 'invalid_api_key_name', 'An API key needs a name of 1 to 100 characters.'));
    await expect(first).resolves.toBe(false);
    expect(createApiKey).toHaveBeenCalledTimes(1);
    expect(store.createKeyError).toMatchObject({ code: 'invalid_api_key_name' });
    expect(store.createdKey).toBeNull();
  });

  it('takes a revoked key off the list, and keeps it with the reason when the revoke fails', async () => {
    const revokeApiKey = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('The server could not be reached.'));
    installStores(fakeApi({ accounts: { listApiKeys: async () => ({ api_keys: [apiKey(1), apiKey(2)] }), revokeApiKey } }));
    const store = useAccountStore();
    await store.loadKeys();
    await store.revokeKey(apiKey(1).id);
    expect(store.apiKeys.map((k) => k.id)).toEqual([apiKey(2).id]);
    await store.revokeKey(apiKey(2).id);
    expect(store.apiKeys.map((k) => k.id)).toEqual([apiKey(2).id]);
    expect(store.revokeErrors.get(apiKey(2).id)).toBe('The server could not be reached.');
  });

  it('shows the webhook secret, and the new one once rotated', async () => {
    installStores(fakeApi({ accounts: { webhookSecret: async () => ({ webhook_secret: 'whsec_old' }), rotateWebhookSecret: async () => ({ webhook_secret: 'whsec_new' }) } }));
    const store = useAccountStore();
    await store.loadWebhookSecret();
    expect(store.webhookSecret).toBe('whsec_old');
    await expect(store.rotateWebhookSecret()).resolves.toBe(true);
    expect(store.webhookSecret).toBe('whsec_new');
  });

  it('changes the password and says how many other sessions ended, or why it did not', async () => {
    const changePassword = vi
      .fn()
      .mockResolvedValueOnce({ sessions_ended: 2 })
      .mockRejectedValueOnce(new ApiRequestError(401, 'invalid_credentials', 'The current password is wrong.'));
    installStores(fakeApi({ accounts: { changePassword } }));
    const store = useAccountStore();
    await expect(store.changePassword('old password!', 'a brand new password')).resolves.toBe(2);
    expect(changePassword).toHaveBeenCalledWith('old password!', 'a brand new password');
    await expect(store.changePassword('wrong', 'a brand new password')).resolves.toBeUndefined();
    expect(store.passwordError).toMatchObject({ code: 'invalid_credentials', message: 'The current password is wrong.' });
  });

  it('keeps nothing of the last user once someone else signs in', async () => {
    installStores(
      fakeApi({
        accounts: {
          status: async () => authStatus({ user: account() }),
          createApiKey: async () => ({ key: NEW_KEY, api_key: apiKey(3) }),
          webhookSecret: async () => ({ webhook_secret: 'whsec_ada' }),
          signIn: async () => ({ user: account({ id: '77777777-7777-4777-8777-777777777777', email: 'bob@example.com' }) }),
        },
      }),
    );
    const session = useSessionStore();
    const store = useAccountStore();
    await session.refresh();
    await store.createKey('k');
    await store.loadWebhookSecret();
    await session.signIn({ email: 'bob@example.com', password: 'bob password here' });
    expect(store.createdKey).toBeNull();
    expect(store.apiKeys).toEqual([]);
    expect(store.webhookSecret).toBeNull();
  });
});
