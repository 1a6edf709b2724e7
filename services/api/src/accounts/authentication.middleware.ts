import type { RequestHandler } from 'express';
import { matchPublicRoute, routeAccess } from '@importer/contracts';
import { ApiError } from '../http/api-error.js';
import type { AccountsService } from './accounts.service.js';
import { type Caller, setCaller } from './caller.js';
import { isSameOrigin } from './same-origin.js';
import { clearSessionCookie, readSessionToken, writeSessionCookie } from './session-cookie.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

const unauthenticated = (message: string) => new ApiError(401, 'unauthenticated', message, { 'WWW-Authenticate': 'Bearer realm="image-importer"' });

/**
 * Finds who calls each public route and refuses what they may not do, from the route table's `access`: an API key
 * (`Authorization: Bearer imp_…`) or the session cookie; no valid one on a signed-in route is a 401; a non-admin on
 * an admin route gets a 404, as if it were not there. A cookie-authenticated write from another site is a 403 (CSRF);
 * requests with a key carry no ambient credential, so they need no such check. Other paths pass untouched.
 */
export function authentication(accounts: Pick<AccountsService, 'resolveApiKey' | 'resolveSession'>): RequestHandler {
  return (req, res, next) => {
    const route = matchPublicRoute(req.method, req.path);
    if (!route) return next();
    const access = routeAccess(route);
    void (async (): Promise<Caller | undefined> => {
      const authorization = req.get('authorization');
      if (authorization !== undefined) {
        const key = BEARER.exec(authorization)?.[1];
        const found = key ? await accounts.resolveApiKey(key) : null;
        if (!found) throw unauthenticated('The API key is not valid: it is malformed, revoked, or its user is disabled.');
        return { account: found.account, via: 'api_key', apiKeyId: found.apiKeyId };
      }
      const token = readSessionToken(req);
      if (req.method !== 'GET' && req.method !== 'HEAD' && token !== undefined && !isSameOrigin(req)) {
        throw new ApiError(403, 'cross_site_request', 'This request came from another site with your session cookie, so it was refused.');
      }
      if (token === undefined) return undefined;
      const session = await accounts.resolveSession(token);
      if (!session) {
        clearSessionCookie(req, res);
        return undefined;
      }
      writeSessionCookie(req, res, token, session.expiresAt);
      return { account: session.account, via: 'session', sessionId: session.sessionId, expiresAt: session.expiresAt };
    })()
      .then((caller) => {
        if (caller) setCaller(res, caller);
        if (access === 'anonymous') return next();
        if (!caller) throw unauthenticated('Sign in, or send an API key as "Authorization: Bearer <key>".');
        if (access === 'admin' && caller.account.role !== 'admin') throw new ApiError(404, 'not_found', `There is no ${req.method} ${req.path.slice(0, 200)}.`);
        next();
      })
      .catch(next);
  };
}
