import { describe, expect, it } from 'vitest';
import { account, apiKey, authStatus } from '../test-support/fake-api.js';
import { accountsApi } from './accounts.api.js';
import { createHttpClient } from './http-client.js';
import { usersApi } from './users.api.js';

/** A server that records each request and answers from `answers` by "METHOD path". */
function server(answers: Record<string, { status: number; body?: unknown }>) {
  const asked: { method: string; url: string; body: unknown }[] = [];
  const http = createHttpClient('/api', async (input, init) => {
    const method = init?.method ?? 'GET';
    asked.push({ method, url: String(input), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const answer = answers[`${method} ${String(input)}`];
    if (!answer) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }), { status: 404 });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  });
  return { http, asked };
}

describe('the accounts API module', () => {
  it('signs in and out at the routes of the contract, with snake_case bodies', async () => {
    const { http, asked } = server({
      'GET /api/auth/status': { status: 200, body: authStatus() },
      'POST /api/auth/sign-in': { status: 200, body: { user: account() } },
      'POST /api/auth/sign-out': { status: 204 },
      'POST /api/account/password': { status: 200, body: { sessions_ended: 1 } },
    });
    const api = accountsApi(http);
    await expect(api.status()).resolves.toEqual(authStatus());
    await expect(api.signIn({ email: 'ada@example.com', password: 'pw' })).resolves.toEqual({ user: account() });
    await expect(api.signOut()).resolves.toBeUndefined();
    await expect(api.changePassword('old', 'new one')).resolves.toEqual({ sessions_ended: 1 });
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual(['GET /api/auth/status', 'POST /api/auth/sign-in', 'POST /api/auth/sign-out', 'POST /api/account/password']);
    expect(asked[1]?.body).toEqual({ email: 'ada@example.com', password: 'pw' });
    expect(asked[3]?.body).toEqual({ current_password: 'old', new_password: 'new one' });
    expect(api.oidcStartUrl('/auth/oidc/start')).toBe('/api/auth/oidc/start');
  });

  it('creates, lists and revokes API keys, and refuses a created key that is not one', async () => {
    const id = apiKey(1).id;
    const { http, asked } = server({
      'POST /api/account/api-keys': { status: 201, body: { key: 'imp_secret', api_key: apiKey(1) } },
      'GET /api/account/api-keys': { status: 200, body: { api_keys: [apiKey(1)] } },
      [`POST /api/account/api-keys/${id}/revoke`]: { status: 204 },
      'POST /api/account/webhook-secret/rotate': { status: 200, body: { webhook_secret: 'not-a-secret' } },
    });
    const api = accountsApi(http);
    await expect(api.createApiKey('ci')).resolves.toEqual({ key: 'imp_secret', api_key: apiKey(1) });
    expect(asked[0]?.body).toEqual({ name: 'ci' });
    await expect(api.listApiKeys()).resolves.toEqual({ api_keys: [apiKey(1)] });
    await expect(api.revokeApiKey(id)).resolves.toBeUndefined();
    await expect(api.rotateWebhookSecret()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it("reaches the administrator's user routes", async () => {
    const { http, asked } = server({
      'POST /api/admin/users': { status: 201, body: { user: account() } },
      [`POST /api/admin/users/${account().id}/disable`]: { status: 200, body: { user: account({ disabled_at: '2026-11-22T08:00:00.000Z' }) } },
    });
    const users = usersApi(http);
    await users.create({ email: 'ada@example.com', password: 'a long password', role: 'user' });
    await expect(users.disable(account().id)).resolves.toMatchObject({ user: { disabled_at: '2026-11-22T08:00:00.000Z' } });
    expect(asked[0]?.body).toEqual({ email: 'ada@example.com', password: 'a long password', role: 'user' });
    await expect(users.list()).rejects.toMatchObject({ status: 404 });
  });
});
