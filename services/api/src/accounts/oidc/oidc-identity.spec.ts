import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { needsUserinfo, oidcIdentity } from './oidc-identity.js';

const token = { iss: 'https://sso.example.org', sub: 'user-1', aud: 'importer' };

describe('oidc identity', () => {
  test('email, its verified flag and the name come from the ID token when it has them', () => {
    const claims = { ...token, email: 'ada@example.org', email_verified: true, name: 'Ada Lovelace' };
    assert.equal(needsUserinfo(claims), false);
    assert.deepEqual(oidcIdentity(claims, { email: 'other@example.org', email_verified: false }), {
      issuer: 'https://sso.example.org',
      subject: 'user-1',
      email: 'ada@example.org',
      emailVerified: true,
      name: 'Ada Lovelace',
    });
  });

  test('without an email in the ID token, email and flag come from userinfo together', () => {
    assert.equal(needsUserinfo(token), true);
    assert.deepEqual(oidcIdentity(token, { sub: 'user-1', email: 'ada@example.org', email_verified: 'true', preferred_username: 'ada' }), {
      issuer: 'https://sso.example.org',
      subject: 'user-1',
      email: 'ada@example.org',
      emailVerified: true,
      name: 'ada',
    });
  });

  test('an email without a flag, or with a flag that is not true, is not verified', () => {
    assert.equal(oidcIdentity({ ...token, email: 'ada@example.org' }).emailVerified, false);
    assert.equal(oidcIdentity({ ...token, email: 'ada@example.org', email_verified: 'yes' }).emailVerified, false);
    assert.equal(oidcIdentity(token, { email: 'ada@example.org', email_verified: 'false' }).emailVerified, false);
  });

  test('a verified flag without an email verifies nothing', () => {
    assert.deepEqual(oidcIdentity({ ...token, email_verified: true }, { email_verified: true }), {
      issuer: 'https://sso.example.org',
      subject: 'user-1',
      email: null,
      emailVerified: false,
      name: null,
    });
  });

  test('malformed profile claims count as absent; a long name is cut', () => {
    const identity = oidcIdentity({ ...token, email: 'not an address', name: ` ${'n'.repeat(500)} ` }, { email: 42, name: ['x'] });
    assert.equal(identity.email, null);
    assert.equal(identity.name, 'n'.repeat(200));
    assert.equal(needsUserinfo({ ...token, email: '' }), true);
  });
});
