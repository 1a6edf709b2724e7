import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

/** The header daprd sends `APP_API_TOKEN` in on every call to its app. */
export const APP_TOKEN_HEADER = 'dapr-api-token';

/** The SDK's routes for daprd: actor calls, reminders and timers, `/dapr/config`, `/dapr/subscribe`, pub/sub deliveries. */
const SIDECAR_ROUTE = /^\/(?:dapr|actors)(?:\/|$)|^\/healthz$|^\/[^/]+--/;

/** `PUT /actors/<type>/<id>/method/<name>`: an actor method call (timers and reminders have their own routes). */
const ACTOR_METHOD = /^\/actors\/([^/]+)\/[^/]+\/method\/([^/]+)$/;

export interface AppChannelGuardOptions {
  /** APP_API_TOKEN, the same value the sidecar was started with. */
  appApiToken: string;
  /** Routes anyone who reaches the app port may call: the public API, probes and metrics. */
  isOpen: (method: string, path: string) => boolean;
  /** Per hosted actor type, the methods its callers may invoke; other names answer 404. */
  actorMethods?: Readonly<Record<string, readonly string[]>>;
}

function sameToken(given: string | undefined, expected: Buffer): boolean {
  if (given === undefined) return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** Answers without reading the body, and closes the connection so a large body is not streamed in regardless. */
function refuse(res: Response, status: number, code: string, message: string): void {
  res.set('Connection', 'close').status(status).json({ error: { code, message } });
}

/**
 * The first middleware of every app. Open routes pass; the SDK's routes answer only the app's own sidecar (its
 * `dapr-api-token`), and actor calls only for listed methods; anything else is a 404. None of it reads a body first,
 * so the SDK's body parsers never see a request from outside.
 */
export function appChannelGuard({ appApiToken, isOpen, actorMethods = {} }: AppChannelGuardOptions): RequestHandler {
  const expected = Buffer.from(appApiToken);
  return (req: Request, res: Response, next) => {
    if (isOpen(req.method, req.path)) return next();
    if (!SIDECAR_ROUTE.test(req.path)) return refuse(res, 404, 'not_found', `There is no ${req.method} ${req.path}.`);
    if (!sameToken(req.get(APP_TOKEN_HEADER), expected)) {
      return refuse(res, 401, 'unauthorized', 'This route answers only the app\'s own Dapr sidecar.');
    }
    const call = req.method === 'PUT' ? ACTOR_METHOD.exec(req.path) : null;
    if (call && !(actorMethods[call[1] ?? ''] ?? []).includes(call[2] ?? '')) {
      return refuse(res, 404, 'not_found', `${call[1]} has no method ${call[2]} callers may invoke.`);
    }
    next();
  };
}
