import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Account, type KoaContextWithOIDC } from 'oidc-provider';

/** A client the provider knows: a confidential web client using the authorization code flow. */
export interface OidcTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** A user who can sign in, by email or subject in the login form; with a password only when one is set. */
export interface OidcTestAccount {
  subject: string;
  email: string;
  emailVerified: boolean;
  name?: string;
  password?: string;
}

export interface OidcTestProviderOptions {
  clients: OidcTestClient[];
  accounts: OidcTestAccount[];
  /** Where to listen on 127.0.0.1; any free port when unset. */
  port?: number;
  /** Put email and name in the ID token too, as Google does; by default they are only at the userinfo endpoint, as OIDC Core says. */
  claimsInIdToken?: boolean;
}

export interface OidcTestProvider {
  /** The issuer URL, `http://127.0.0.1:<port>`. */
  issuer: string;
  close(): Promise<void>;
}

/** Largest login form body read. */
const FORM_MAX_BYTES = 16 * 1024;

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?$/;

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for tests and the local demo: a one-field login form,
 * consent given without asking, ID tokens signed with a key made at start. A browser and a fetch-driven test both
 * complete it: GET the interaction page, POST `login` (and `password`) to its form's action, follow the redirects.
 */
export async function startOidcTestProvider(options: OidcTestProviderOptions): Promise<OidcTestProvider> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, providerConfiguration(options));
  const handleProtocol = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const interaction = INTERACTION.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!interaction) return void handleProtocol(req, res);
    handleInteraction(provider, options.accounts, req, res, interaction[1] ?? '', interaction[2]).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function providerConfiguration(options: OidcTestProviderOptions): ConstructorParameters<typeof Provider>[1] {
  const bySubject = new Map(options.accounts.map((account) => [account.subject, account]));
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    clients: options.clients.map((c) => ({ client_id: c.clientId, client_secret: c.clientSecret, redirect_uris: c.redirectUris, response_types: ['code'], grant_types: ['authorization_code'] })),
    jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    conformIdTokenClaims: !options.claimsInIdToken,
    // Set, though these are the defaults, so the provider does not print a notice for each.
    ttl: { Interaction: 3600, Session: 1_209_600, Grant: 1_209_600, AccessToken: 3600, IdToken: 3600 },
    // Every client here is first-party: a signed-in user's grant covers whatever the client asks, so consent never prompts.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { session, client, params } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope(typeof params?.scope === 'string' ? params.scope : 'openid');
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, subject): Account | undefined => {
      const account = bySubject.get(subject);
      if (!account) return undefined;
      return {
        accountId: subject,
        claims: () => ({ sub: subject, email: account.email, email_verified: account.emailVerified, ...(account.name ? { name: account.name } : {}) }),
      };
    },
  };
}

async function handleInteraction(
  provider: Provider,
  accounts: OidcTestAccount[],
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action: string | undefined,
): Promise<void> {
  const { prompt } = await provider.interactionDetails(req, res);
  if (action === '/abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name !== 'login') throw new Error(`unexpected prompt ${prompt.name}`);
  if (req.method === 'GET' && !action) return sendLoginForm(res, uid);
  if (req.method !== 'POST' || action !== '/login') throw new Error(`${req.method} ${req.url} is not an interaction route`);
  const form = new URLSearchParams(await readBody(req));
  const login = form.get('login')?.trim().toLowerCase() ?? '';
  const account = accounts.find((a) => a.subject === login || a.email.toLowerCase() === login);
  if (!account || (account.password !== undefined && form.get('password') !== account.password)) {
    return sendLoginForm(res, uid, 'Unknown login or wrong password');
  }
  await provider.interactionFinished(req, res, { login: { accountId: account.subject } }, { mergeWithLastSubmission: false });
}

function sendLoginForm(res: ServerResponse, uid: string, problem?: string): void {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to the test provider</title></head>
<body>
<h1>Test provider</h1>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Email or subject <input name="login" autocomplete="username" autofocus required></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
<p><a href="/interaction/${escapeHtml(uid)}/abort">Cancel</a></p>
</body></html>`;
  res.writeHead(problem ? 401 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_MAX_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
