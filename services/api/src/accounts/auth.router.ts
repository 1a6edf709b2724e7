import { type Request, type RequestHandler, type Response, Router } from 'express';
import { type AuthStatus, CredentialsRequestV1, expressPath, PublicRoutes, SSO_REFUSAL_FALLBACK, SSO_REFUSAL_TEXT } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import { asyncHandler } from '../http/async-handler.js';
import { ApiError } from '../http/api-error.js';
import { publicBaseUrl } from '../http/public-base-url.js';
import { answeringAccountErrors, toAccountBody } from './account.mapper.js';
import type { AccountsService, ExternalIdentity, IssuedSession } from './accounts.service.js';
import { callerOf } from './caller.js';
import { clearSessionCookie, readCookie, readSessionToken, writeCookie, writeSessionCookie } from './session-cookie.js';

/** The OIDC part the routes need: the sign-in module in accounts/oidc, or nothing when OIDC is not configured. */
export interface OidcLogin {
  readonly label: string;
  start(redirectUri: string): Promise<{ authorizationUrl: string; pending: string }>;
  finish(callbackUrl: URL, pending: string, redirectUri: string): Promise<ExternalIdentity>;
}

export interface AuthRouterOptions {
  oidc: OidcLogin | null;
  /** The cookie that keeps an OIDC sign-in's state, nonce and PKCE verifier until its callback, and how long it lives. */
  oidcPendingCookie: { name: string; maxAgeMs: number };
  /** Per-address limits, shared by every replica: wrong passwords at sign-in, and account creation. */
  limits: { signIn: RequestHandler; signUp: RequestHandler };
  log: Logger;
}

/** Answers a new session; the one the browser held before (another account's, say) ends, so no session is left behind. */
async function signedIn(accounts: Pick<AccountsService, 'revokeSession'>, req: Request, res: Response, status: number, session: IssuedSession): Promise<void> {
  const previous = readSessionToken(req);
  if (previous) await accounts.revokeSession(previous);
  writeSessionCookie(req, res, session.token, session.expiresAt);
  res.status(status).json({ user: toAccountBody(session.account) });
}

/**
 * What the sign-in page is told when an OIDC sign-in ends without a session: a fixed text per code (a provider's
 * error can name internal addresses), the provider's own words for a refusal, our own message for an account refusal.
 */
function oidcRefusal(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  const { code, providerDescription } = error as { code?: unknown; providerDescription?: unknown };
  if (typeof code !== 'string' || !code.startsWith('oidc_')) return undefined;
  const said = typeof providerDescription === 'string' && providerDescription ? ` (${providerDescription})` : '';
  return { code, message: `${SSO_REFUSAL_TEXT[code] ?? SSO_REFUSAL_FALLBACK}${said}` };
}

/** The site's own root, where a browser lands after an OIDC sign-in: the API's public base without its prefix. */
function siteRoot(req: Request): string {
  return `${new URL(publicBaseUrl(req)).origin}/`;
}

/** Sign-in and what comes before it: status, first-run setup, sign-in, sign-up, sign-out, and OIDC's two legs. */
export function authRouter(accounts: AccountsService, { oidc, oidcPendingCookie, limits, log }: AuthRouterOptions, signUpPolicy: AuthStatus['sign_up']): Router {
  const router = Router();
  const callbackUrl = (req: Request) => `${publicBaseUrl(req)}${PublicRoutes.oidcCallback.path}`;
  const pendingPath = (req: Request) => `${new URL(publicBaseUrl(req)).pathname.replace(/\/$/, '')}/auth/oidc`;

  router.get(
    expressPath(PublicRoutes.authStatus),
    asyncHandler(async (_req, res) => {
      const caller = callerOf(res);
      const status: AuthStatus = {
        setup_required: await accounts.needsFirstAdmin(),
        sign_up: signUpPolicy,
        oidc: oidc ? { label: oidc.label, start_path: PublicRoutes.oidcStart.path } : null,
        user: caller ? toAccountBody(caller.account) : null,
      };
      res.set('Cache-Control', 'no-store').json(status);
    }),
  );
  router.post(
    expressPath(PublicRoutes.setup),
    limits.signUp,
    asyncHandler(async (req, res) => {
      const credentials = CredentialsRequestV1.parse(req.body);
      const session = await answeringAccountErrors(async () => {
        const admin = await accounts.createFirstAdmin(credentials);
        return accounts.openSession(admin.id);
      });
      await signedIn(accounts, req, res, 201, session);
    }),
  );
  router.post(
    expressPath(PublicRoutes.signIn),
    limits.signIn,
    asyncHandler(async (req, res) => {
      const credentials = CredentialsRequestV1.parse(req.body);
      await signedIn(accounts, req, res, 200, await answeringAccountErrors(() => accounts.signIn(credentials)));
    }),
  );
  router.post(
    expressPath(PublicRoutes.signUp),
    limits.signUp,
    asyncHandler(async (req, res) => {
      const credentials = CredentialsRequestV1.parse(req.body);
      await signedIn(accounts, req, res, 201, await answeringAccountErrors(() => accounts.signUp(credentials)));
    }),
  );
  router.post(
    expressPath(PublicRoutes.signOut),
    asyncHandler(async (req, res) => {
      const token = readSessionToken(req);
      if (token) await accounts.revokeSession(token);
      clearSessionCookie(req, res);
      res.status(204).end();
    }),
  );
  router.get(
    expressPath(PublicRoutes.oidcStart),
    asyncHandler(async (req, res) => {
      if (!oidc) throw new ApiError(404, 'oidc_not_configured', 'Single sign-on is not configured here.');
      const { authorizationUrl, pending } = await oidc.start(callbackUrl(req));
      writeCookie(req, res, oidcPendingCookie.name, pending, new Date(Date.now() + oidcPendingCookie.maxAgeMs), pendingPath(req));
      res.redirect(302, authorizationUrl);
    }),
  );
  router.get(
    expressPath(PublicRoutes.oidcCallback),
    asyncHandler(async (req, res) => {
      if (!oidc) throw new ApiError(404, 'oidc_not_configured', 'Single sign-on is not configured here.');
      const pending = readCookie(req, oidcPendingCookie.name);
      writeCookie(req, res, oidcPendingCookie.name, '', null, pendingPath(req));
      const here = new URL(req.originalUrl, callbackUrl(req));
      try {
        if (!pending) throw Object.assign(new Error('The sign-in took too long or started elsewhere; start it again.'), { code: 'oidc_bad_pending' });
        const identity = await oidc.finish(here, pending, callbackUrl(req));
        const session = await answeringAccountErrors(() => accounts.signInWithIdentity(identity));
        const previous = readSessionToken(req);
        if (previous) await accounts.revokeSession(previous);
        writeSessionCookie(req, res, session.token, session.expiresAt);
        res.redirect(302, siteRoot(req));
      } catch (error) {
        const refusal = oidcRefusal(error);
        if (!refusal) throw error;
        log.warn('OIDC sign-in refused', { code: refusal.code, error: error instanceof Error ? error.message : String(error) });
        const target = new URL('sign-in', siteRoot(req));
        target.searchParams.set('error', refusal.code);
        target.searchParams.set('message', refusal.message);
        res.redirect(302, target.toString());
      }
    }),
  );
  return router;
}
