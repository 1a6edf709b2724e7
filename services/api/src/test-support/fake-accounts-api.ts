import type { SignUpPolicy } from '@importer/contracts';
import type { ApiDependencies } from '../app.js';
import { AccountsService } from '../accounts/accounts.service.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { tokenHash } from '../accounts/tokens.js';
import { UserWebhookSecrets } from '../webhooks/user-webhook-secrets.js';
import { WebhookSecrets } from '../webhooks/webhook-secret.js';
import { FakeAccountRepositories } from './fake-account-repositories.js';
import { fakeAccounts, fakeApiDependencies } from './fake-api-dependencies.js';

/** The fakes' second user, an ordinary one, and an API key of theirs (the base fakes give them none). */
export const FAKE_OTHER_USER = { email: 'other@example.com', apiKey: `imp_${'C'.repeat(43)}` };

/** The same plain-text tagging as the base fakes' hasher, so their users' passwords still check out. */
const plainHasher: PasswordHasher = { hash: async (password) => `plain:${password}`, verify: async (hash, password) => hash === `plain:${password}` };

export interface FakeAccountsApiOptions {
  /** Sign-up policy, for both the accounts service and `GET /auth/status`; open by default. */
  signUp?: SignUpPolicy;
  /** Start with no user at all, as before setup. */
  noUsers?: boolean;
}

/**
 * The base fakes (fakeApiDependencies) with accounts a test can see into: their repositories, to change rows and
 * assert on `writes`, a chosen sign-up policy, and optionally no users. The second user gets FAKE_OTHER_USER's key.
 * The account routes' webhook secrets read these repositories; the import routes keep the base fakes' own.
 */
export function fakeAccountsApi({ signUp = 'open', noUsers = false }: FakeAccountsApiOptions = {}): { deps: ApiDependencies; repositories: FakeAccountRepositories } {
  const { deps } = fakeApiDependencies();
  const repositories = noUsers ? new FakeAccountRepositories() : fakeAccounts().repositories;
  const otherUser = [...repositories.userRows.values()].find((u) => u.email === FAKE_OTHER_USER.email);
  if (otherUser) {
    const id = '55555555-5555-4555-8555-555555555555';
    repositories.apiKeyRows.set(id, {
      id,
      userId: otherUser.id,
      name: 'other',
      prefix: FAKE_OTHER_USER.apiKey.slice(0, 12),
      keyHash: tokenHash(FAKE_OTHER_USER.apiKey),
      createdAt: new Date('2025-01-02T03:04:05.000Z'),
      lastUsedAt: null,
      revokedAt: null,
    });
  }
  const webhookSecrets = new UserWebhookSecrets(new WebhookSecrets('fake-deployment-secret'), {
    webhookSecretVersion: async (userId) => repositories.userRows.get(userId)?.webhookSecretVersion,
    bumpWebhookSecretVersion: async (userId) => {
      const user = repositories.userRows.get(userId);
      if (user) user.webhookSecretVersion += 1;
      return user?.webhookSecretVersion;
    },
  });
  return {
    deps: { ...deps, accounts: new AccountsService(repositories, plainHasher, { sessionTtlMs: 3_600_000, signUp }), signUp, webhookSecrets },
    repositories,
  };
}
