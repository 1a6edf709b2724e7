import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OidcEnvSchema, oidcSettings, refineOidcEnv } from './oidc-settings.js';

/** The fragment as the api's config uses it: extended into its env schema and refined. */
const Schema = OidcEnvSchema.superRefine(refineOidcEnv);
const parse = (env: Record<string, string>) => Schema.safeParse(env);
/** Each refused key with its message, as `KEY: message`. */
const problems = (env: Record<string, string>): string[] => {
  const parsed = parse(env);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};
const withoutSecret = { OIDC_ISSUER_URL: 'https://sso.example.org/realms/importer', OIDC_CLIENT_ID: 'importer' };
const complete = { ...withoutSecret, OIDC_CLIENT_SECRET: 's3cret' };
const noFiles = (path: string): string => {
  throw new Error(`no file expected, asked for ${path}`);
};

describe('oidc settings', () => {
  test('without an issuer the option is off, whatever else is set', () => {
    const parsed = parse({ OIDC_CLIENT_ID: 'importer' });
    assert.ok(parsed.success);
    assert.equal(oidcSettings(parsed.data, noFiles), null);
  });

  test('an issuer, a client id and a secret turn it on with the default label and scopes', () => {
    const parsed = parse(complete);
    assert.ok(parsed.success);
    assert.deepEqual(oidcSettings(parsed.data, noFiles), {
      issuerUrl: 'https://sso.example.org/realms/importer',
      clientId: 'importer',
      clientSecret: 's3cret',
      label: 'Sign in with SSO',
      scopes: 'openid email profile',
    });
  });

  test('the secret may come from a file, read when the settings are made and trimmed of its newline', () => {
    const reads: string[] = [];
    const parsed = parse({ ...withoutSecret, OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc', OIDC_LABEL: ' Sign in with Google ', OIDC_SCOPES: ' openid   email ' });
    assert.ok(parsed.success);
    const settings = oidcSettings(parsed.data, (path) => {
      reads.push(path);
      return 'from-file\n';
    });
    assert.deepEqual(reads, ['/run/secrets/oidc']);
    assert.equal(settings?.clientSecret, 'from-file');
    assert.equal(settings?.label, 'Sign in with Google');
    assert.equal(settings?.scopes, 'openid email');
  });

  test('an unreadable or empty secret file stops the startup, naming the variable', () => {
    const parsed = parse({ ...withoutSecret, OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc' });
    assert.ok(parsed.success);
    assert.throws(
      () =>
        oidcSettings(parsed.data, () => {
          throw new Error('ENOENT');
        }),
      /OIDC_CLIENT_SECRET_FILE \/run\/secrets\/oidc cannot be read: ENOENT/,
    );
    assert.throws(() => oidcSettings(parsed.data, () => ' \n'), /OIDC_CLIENT_SECRET_FILE \/run\/secrets\/oidc is empty/);
  });

  test('an issuer without a client id or a secret is reported, every key at once', () => {
    assert.deepEqual(problems({ OIDC_ISSUER_URL: 'https://sso.example.org' }), [
      'OIDC_CLIENT_ID: is required when OIDC_ISSUER_URL is set',
      'OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE is required when OIDC_ISSUER_URL is set',
    ]);
    assert.deepEqual(problems({ ...complete, OIDC_CLIENT_SECRET: '' }).map((p) => p.split(':')[0]), ['OIDC_CLIENT_SECRET'], 'empty is a bad value, not an unset one');
    assert.deepEqual(problems({ ...complete, OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc' }), [
      'OIDC_CLIENT_SECRET_FILE: set OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE, not both',
    ]);
  });

  test('a plain-http issuer off this machine, scopes without openid or with bad characters are refused', () => {
    assert.deepEqual(problems({ ...complete, OIDC_ISSUER_URL: 'http://sso.example.org' }), [
      'OIDC_ISSUER_URL: must use https unless the host is a loopback address (localhost, 127.0.0.0/8, ::1)',
    ]);
    assert.deepEqual(problems({ ...complete, OIDC_ISSUER_URL: 'http://127.0.0.1:5556/dex' }), []);
    assert.deepEqual(problems({ ...complete, OIDC_SCOPES: 'email profile' }), ['OIDC_SCOPES: must include openid']);
    assert.deepEqual(problems({ ...complete, OIDC_SCOPES: 'openid "email"' }), ['OIDC_SCOPES: holds a character a scope cannot have']);
    assert.deepEqual(problems({ ...complete, OIDC_ISSUER_URL: 'not a url' }).map((p) => p.split(':')[0]), ['OIDC_ISSUER_URL']);
  });
});
