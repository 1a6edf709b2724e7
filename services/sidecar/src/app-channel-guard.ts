import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { URL_LIST_CSV_MAX_BYTES } from '@importer/contracts';
import { drainRequest } from './drain-request.js';

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

/**
 * Answers before reading any of the body; Node then reads and drops what a keep-alive client still sends, so the
 * answer is not lost to a reset mid-upload, and this bounds that to the largest body a route takes and 10 s.
 */
function refuse(req: Request, res: Response, status: number, code: string, message: string): void {
  res.once('finish', () => void drainRequest(req, URL_LIST_CSV_MAX_BYTES, 10_000));
  res.status(status).json({ error: { code, message } });
}

/** Whether a request came through the app's own sidecar, which sends APP_API_TOKEN: then the headers its caller set can be trusted. */
export function ownSidecarCheck(appApiToken: string): (req: Request) => boolean {
  const expected = Buffer.from(appApiToken);
  return (req) => sameToken(req.get(APP_TOKEN_HEADER), expected);
}

/**
 * The first middleware of every app. Open routes pass; the SDK's routes answer only the app's own sidecar (its
 * `dapr-api-token`), and actor calls only for listed methods; anything else is a 404. No refusal reads a body before
 * answering, so the SDK's body parsers never see a request from outside.
 */
export function appChannelGuard({ appApiToken, isOpen, actorMethods = {} }: AppChannelGuardOptions): RequestHandler {
  const expected = Buffer.from(appApiToken);
  return (req: Request, res: Response, next) => {
    if (isOpen(req.method, req.path)) return next();
    if (!SIDECAR_ROUTE.test(req.path)) return refuse(req, res, 404, 'not_found', `There is no ${req.method} ${req.path.slice(0, 200)}.`);
    if (!sameToken(req.get(APP_TOKEN_HEADER), expected)) {
      return refuse(req, res, 401, 'unauthorized', 'This route answers only the app\'s own Dapr sidecar.');
    }
    const call = req.method === 'PUT' ? ACTOR_METHOD.exec(req.path) : null;
    if (call && !(actorMethods[call[1] ?? ''] ?? []).includes(call[2] ?? '')) {
      return refuse(req, res, 404, 'not_found', `${call[1]} has no method ${call[2]} callers may invoke.`);
    }
    next();
  };
}
