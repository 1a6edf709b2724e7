import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AccountError, type AccountErrorCode } from './accounts.errors.js';
import { PASSWORD_MIN_LENGTH } from '@importer/contracts';
import { AccountsService, TOUCH_INTERVAL_MS } from './accounts.service.js';
import { FakeAccountRepositories } from '../test-support/fake-account-repositories.js';
import { Argon2idPasswordHasher, type PasswordHasher } from './password-hasher.js';
import { isApiKey, isSessionToken, newApiKey, newSessionToken, tokenHash } from './tokens.js';

const DAY = 86_400_000;
const TTL = 14 * DAY;
const PASSWORD = 'correct horse battery';
const OTHER_PASSWORD = 'another long password';

/** The real argon2id at a low cost, so specs stay fast; it records each verify against a hash. */
class RecordingHasher implements PasswordHasher {
  private readonly argon2 = new Argon2idPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  readonly hashed: string[] = [];
  readonly verified: string[] = [];
  async hash(password: string) {
    const made = await this.argon2.hash(password);
    this.hashed.push(made);
    return made;
  }
  async verify(passwordHash: string, password: string) {
    this.verified.push(passwordHash);
    return this.argon2.verify(passwordHash, password);
  }
}

function harness() {
  const clock = { now: new Date('2026-01-01T00:00:00.000Z') };
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  const repositories = new FakeAccountRepositories(() => clock.now);
  const hasher = new RecordingHasher();
  const service = new AccountsService(repositories, hasher, { sessionTtlMs: TTL, signUp: 'closed' }, { now: () => clock.now });
  const user = (email = 'ada@example.com', password = PASSWORD) => service.createUser({ email, password });
  return { clock, advance, repositories, hasher, service, user };
}

/** Asserts the promise rejects with an AccountError of this code. */
async function refused(promise: Promise<unknown>, code: AccountErrorCode): Promise<AccountError> {
  let caught: unknown;
  await promise.catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof AccountError, `expected an AccountError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

describe('AccountsService: the first administrator', () => {
  test('with no user yet, the first administrator is created, email trimmed and lower-cased, password hashed', async () => {
    const { service, repositories } = harness();
    assert.equal(await service.needsFirstAdmin(), true);
    const admin = await service.createFirstAdmin({ email: '  Admin@Example.COM ', password: PASSWORD });
    assert.deepEqual({ email: admin.email, role: admin.role, hasPassword: admin.hasPassword, disabledAt: admin.disabledAt }, { email: 'admin@example.com', role: 'admin', hasPassword: true, disabledAt: null });
    assert.equal('passwordHash' in admin, false, 'no hash leaves the service');
    assert.match(repositories.userRows.get(admin.id)?.passwordHash ?? '', /^\$argon2id\$/);
    assert.equal(await service.needsFirstAdmin(), false);
  });

  test('once any user exists it is refused, before any hashing or write', async () => {
    const { service, hasher, repositories } = harness();
    await service.createFirstAdmin({ email: 'admin@example.com', password: PASSWORD });
    const [hashes, writes] = [hasher.hashed.length, repositories.writes.length];
    await refused(service.createFirstAdmin({ email: 'second@example.com', password: PASSWORD }), 'setup_done');
    assert.deepEqual([hasher.hashed.length, repositories.writes.length], [hashes, writes]);
  });

  test('two at once make one administrator; the other is refused', async () => {
    const { service, repositories } = harness();
    const answers = await Promise.allSettled([
      service.createFirstAdmin({ email: 'one@example.com', password: PASSWORD }),
      service.createFirstAdmin({ email: 'two@example.com', password: PASSWORD }),
    ]);
    assert.deepEqual(answers.map((a) => a.status).sort(), ['fulfilled', 'rejected']);
    const rejected = answers.find((a) => a.status === 'rejected');
    assert.equal((rejected?.reason as AccountError).code, 'setup_done');
    assert.equal(repositories.userRows.size, 1);
  });

  test('a bad email or a short password is refused with what to fix, and nothing is written', async () => {
    const { service, repositories } = harness();
    await refused(service.createFirstAdmin({ email: 'not an email', password: PASSWORD }), 'invalid_email');
    await refused(service.createFirstAdmin({ email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }), 'invalid_email');
    const short = await refused(service.createFirstAdmin({ email: 'admin@example.com', password: 'x'.repeat(PASSWORD_MIN_LENGTH - 1) }), 'invalid_password');
    assert.match(short.message, new RegExp(`${PASSWORD_MIN_LENGTH}`));
    await refused(service.createFirstAdmin({ email: 'admin@example.com', password: 'x'.repeat(257) }), 'invalid_password');
    assert.deepEqual(repositories.writes, []);
  });
});

describe('AccountsService: users and signing in', () => {
  test('a user is created as a user unless made an administrator; an email taken in another case is refused', async () => {
    const { service, user } = harness();
    assert.equal((await user()).role, 'user');
    assert.equal((await service.createUser({ email: 'grace@example.com', password: PASSWORD, role: 'admin' })).role, 'admin');
    await refused(user('ADA@example.com'), 'email_taken');
  });

  test('the right password opens a session: a token for the cookie, stored only as its hash, expiring a TTL from now', async () => {
    const { service, user, repositories, clock } = harness();
    const ada = await user();
    const session = await service.signIn({ email: ' ADA@Example.com', password: PASSWORD });
    assert.equal(isSessionToken(session.token), true);
    assert.deepEqual(session.expiresAt, new Date(clock.now.getTime() + TTL));
    assert.equal(session.account.id, ada.id);
    assert.deepEqual([...repositories.sessionRows.keys()], [tokenHash(session.token)]);
    assert.equal(JSON.stringify([...repositories.sessionRows.values()]).includes(session.token), false, 'the token itself is stored nowhere');
  });

  test('a wrong password, an unknown email, a malformed one and a user without a password each cost one verify and get the same refusal', async () => {
    const { service, user, hasher, repositories } = harness();
    await user();
    await repositories.users.create({ email: 'oidc@example.com', passwordHash: null, role: 'user' });
    const messages = new Set<string>();
    for (const credentials of [
      { email: 'ada@example.com', password: OTHER_PASSWORD },
      { email: 'nobody@example.com', password: PASSWORD },
      { email: 'not an email', password: PASSWORD },
      { email: 'oidc@example.com', password: PASSWORD },
    ]) {
      const verifies = hasher.verified.length;
      messages.add((await refused(service.signIn(credentials), 'invalid_credentials')).message);
      assert.equal(hasher.verified.length, verifies + 1, `one argon2 verify for ${credentials.email}`);
    }
    assert.equal(messages.size, 1);
    assert.equal(repositories.sessionRows.size, 0);
  });

  test('a password longer than any accepted is refused without hashing', async () => {
    const { service, user, hasher } = harness();
    await user();
    await refused(service.signIn({ email: 'ada@example.com', password: 'x'.repeat(10_000) }), 'invalid_credentials');
    assert.equal(hasher.verified.length, 0);
  });

  test('a disabled user is told so only after the right password, and gets no session', async () => {
    const { service, user, repositories, clock } = harness();
    const ada = await user();
    const row = repositories.userRows.get(ada.id);
    if (row) row.disabledAt = clock.now;
    await refused(service.signIn({ email: 'ada@example.com', password: OTHER_PASSWORD }), 'invalid_credentials');
    await refused(service.signIn({ email: 'ada@example.com', password: PASSWORD }), 'account_disabled');
    await refused(service.openSession(ada.id), 'account_disabled');
    assert.equal(repositories.sessionRows.size, 0);
  });

  test('openSession (after OIDC) opens a session for a known user only', async () => {
    const { service, user } = harness();
    const ada = await user();
    const session = await service.openSession(ada.id);
    assert.equal((await service.resolveSession(session.token))?.account.id, ada.id);
    await refused(service.openSession('00000000-0000-4000-8000-000000000000'), 'user_not_found');
  });
});

describe('AccountsService: sessions', () => {
  test('a token resolves to its user and session; a malformed, unknown or signed-out one to nobody', async () => {
    const { service, user } = harness();
    const ada = await user();
    const { token } = await service.signIn({ email: 'ada@example.com', password: PASSWORD });
    const caller = await service.resolveSession(token);
    assert.deepEqual({ id: caller?.account.id, sessionId: caller?.sessionId }, { id: ada.id, sessionId: tokenHash(token) });
    assert.equal('passwordHash' in (caller?.account ?? {}), false);
    for (const other of ['', 'garbage', newSessionToken(), newApiKey(), `${token} `]) assert.equal(await service.resolveSession(other), null);
    await service.revokeSession(token);
    assert.equal(await service.resolveSession(token), null);
    await service.revokeSession(token);
    await service.revokeSession('not a token');
  });

  test('a session expires a TTL after its last use: each use past the touch interval moves the expiry, others write nothing', async () => {
    const { service, user, advance, repositories, clock } = harness();
    await user();
    const { token, expiresAt } = await service.signIn({ email: 'ada@example.com', password: PASSWORD });
    advance(TOUCH_INTERVAL_MS - 1);
    assert.deepEqual((await service.resolveSession(token))?.expiresAt, expiresAt);
    assert.equal(repositories.writes.includes('sessions.touch'), false, 'a use within the interval writes nothing');
    for (let day = 0; day < 30; day++) {
      advance(TTL - DAY);
      assert.deepEqual((await service.resolveSession(token))?.expiresAt, new Date(clock.now.getTime() + TTL), `still signed in on use ${day}`);
    }
    advance(TTL);
    assert.equal(await service.resolveSession(token), null, 'a TTL without use ends it');
  });

  test("a disabled user's sessions resolve to nobody", async () => {
    const { service, user, repositories, clock } = harness();
    const ada = await user();
    const { token } = await service.signIn({ email: 'ada@example.com', password: PASSWORD });
    const row = repositories.userRows.get(ada.id);
    if (row) row.disabledAt = clock.now;
    assert.equal(await service.resolveSession(token), null);
  });

  test('changing the password takes the current one, then ends every other session and keeps this one', async () => {
    const { service, user } = harness();
    const ada = await user();
    const here = await service.signIn({ email: 'ada@example.com', password: PASSWORD });
    const elsewhere = await service.signIn({ email: 'ada@example.com', password: PASSWORD });
    const keepSessionId = tokenHash(here.token);

    await refused(service.changePassword({ userId: ada.id, currentPassword: OTHER_PASSWORD, newPassword: OTHER_PASSWORD, keepSessionId }), 'invalid_credentials');
    await refused(service.changePassword({ userId: ada.id, currentPassword: PASSWORD, newPassword: 'short', keepSessionId }), 'invalid_password');
    assert.ok(await service.resolveSession(elsewhere.token), 'a refused change ends nothing');

    assert.deepEqual(await service.changePassword({ userId: ada.id, currentPassword: PASSWORD, newPassword: OTHER_PASSWORD, keepSessionId }), { sessionsEnded: 1 });
    assert.ok(await service.resolveSession(here.token));
    assert.equal(await service.resolveSession(elsewhere.token), null);
    await refused(service.signIn({ email: 'ada@example.com', password: PASSWORD }), 'invalid_credentials');
    assert.ok(await service.signIn({ email: 'ada@example.com', password: OTHER_PASSWORD }));
  });

  test('a user without a password (OIDC only) cannot change one; an unknown user is not found', async () => {
    const { service, repositories } = harness();
    const oidc = await repositories.users.create({ email: 'oidc@example.com', passwordHash: null, role: 'user' });
    if (oidc === 'email_taken') assert.fail();
    await refused(service.changePassword({ userId: oidc.id, currentPassword: '', newPassword: OTHER_PASSWORD }), 'invalid_credentials');
    await refused(service.changePassword({ userId: '00000000-0000-4000-8000-000000000000', currentPassword: PASSWORD, newPassword: OTHER_PASSWORD }), 'user_not_found');
  });
});

describe('AccountsService: API keys', () => {
  test('a key is shown once: stored as its hash with its first characters, listed without any secret', async () => {
    const { service, user, repositories } = harness();
    const ada = await user();
    const { key, apiKey } = await service.createApiKey(ada.id, '  backup script ');
    assert.equal(isApiKey(key), true);
    assert.deepEqual({ name: apiKey.name, prefix: apiKey.prefix, userId: apiKey.userId }, { name: 'backup script', prefix: key.slice(0, 12), userId: ada.id });
    assert.equal(repositories.apiKeyRows.get(apiKey.id)?.keyHash, tokenHash(key));
    const listed = await service.listApiKeys(ada.id);
    assert.deepEqual(listed, [apiKey]);
    assert.equal(JSON.stringify(listed).includes(key), false);
    assert.equal(JSON.stringify(listed).includes(tokenHash(key)), false);
    assert.equal(JSON.stringify([...repositories.apiKeyRows.values()]).includes(key), false, 'the key itself is stored nowhere');
  });

  test('a key needs a name of 1 to 100 characters', async () => {
    const { service, user } = harness();
    const ada = await user();
    await refused(service.createApiKey(ada.id, '   '), 'invalid_api_key_name');
    await refused(service.createApiKey(ada.id, 'x'.repeat(101)), 'invalid_api_key_name');
  });

  test("a key resolves to its user; a revoked one, a disabled user's and a malformed one to nobody", async () => {
    const { service, user, repositories, clock } = harness();
    const ada = await user();
    const { key, apiKey } = await service.createApiKey(ada.id, 'laptop');
    assert.deepEqual({ id: (await service.resolveApiKey(key))?.account.id, apiKeyId: (await service.resolveApiKey(key))?.apiKeyId }, { id: ada.id, apiKeyId: apiKey.id });
    for (const other of ['', key.slice(4), `Bearer ${key}`, newApiKey(), newSessionToken()]) assert.equal(await service.resolveApiKey(other), null);

    const row = repositories.userRows.get(ada.id);
    if (row) row.disabledAt = clock.now;
    assert.equal(await service.resolveApiKey(key), null);
    if (row) row.disabledAt = null;

    await service.revokeApiKey(ada.id, apiKey.id);
    assert.equal(await service.resolveApiKey(key), null);
    assert.deepEqual(await service.listApiKeys(ada.id), []);
  });

  test("only its owner revokes a key: another user's, an unknown, a malformed or a revoked id is not found", async () => {
    const { service, user } = harness();
    const ada = await user();
    const grace = await user('grace@example.com');
    const { key, apiKey } = await service.createApiKey(ada.id, 'laptop');
    await refused(service.revokeApiKey(grace.id, apiKey.id), 'api_key_not_found');
    assert.ok(await service.resolveApiKey(key));
    await refused(service.revokeApiKey(ada.id, '00000000-0000-4000-8000-000000000000'), 'api_key_not_found');
    await refused(service.revokeApiKey(ada.id, "'; DROP TABLE api_keys; --"), 'api_key_not_found');
    await service.revokeApiKey(ada.id, apiKey.id);
    await refused(service.revokeApiKey(ada.id, apiKey.id), 'api_key_not_found');
  });

  test("a key's last use is recorded at most once per touch interval", async () => {
    const { service, user, repositories, advance, clock } = harness();
    const ada = await user();
    const { key, apiKey } = await service.createApiKey(ada.id, 'ci');
    const touches = () => repositories.writes.filter((w) => w === 'apiKeys.touch').length;
    await service.resolveApiKey(key);
    await service.resolveApiKey(key);
    assert.equal(touches(), 1);
    assert.deepEqual(repositories.apiKeyRows.get(apiKey.id)?.lastUsedAt, clock.now);
    advance(TOUCH_INTERVAL_MS);
    await service.resolveApiKey(key);
    assert.equal(touches(), 2);
  });
});
