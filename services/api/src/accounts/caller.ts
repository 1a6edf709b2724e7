import type { Response } from 'express';
import type { Account } from './accounts.service.js';

/** Who is calling: the account, and how it proved it (a browser's session cookie, or an API key). */
export type Caller = { account: Account } & ({ via: 'session'; sessionId: string; expiresAt: Date } | { via: 'api_key'; apiKeyId: string });

/** The caller the authentication middleware found, or undefined on an anonymous route without one. */
export function callerOf(res: Response): Caller | undefined {
  return (res.locals as { caller?: Caller }).caller;
}

export function setCaller(res: Response, caller: Caller): void {
  (res.locals as { caller?: Caller }).caller = caller;
}

/** The caller of a route that needs one; the middleware has refused anonymous requests before, so none here is a bug. */
export function requireCaller(res: Response): Caller {
  const caller = callerOf(res);
  if (!caller) throw new Error('a signed-in route ran without a caller: the authentication middleware is not in front of it');
  return caller;
}
