import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '@importer/observability';

/** One limit on one kind of request from one client address, counted for every api replica alike. */
export interface AddressLimit {
  /** Names the counter in Redis and the limit in the 429's message. */
  name: string;
  /** What the message says is limited: "sign-in attempts". */
  what: string;
  max: number;
  windowMs: number;
  /** Count only refused attempts (a wrong password), so people who sign in fine are never held up. */
  countFailuresOnly?: boolean;
}

export interface RateLimitOptions {
  /** Sends one raw command to the shared Redis (see redis-commands.ts). */
  sendCommand: (...args: string[]) => Promise<RedisReply>;
  clientAddress: (req: Request) => string;
  log: Logger;
}

/**
 * A per-address limit in `express-rate-limit` with its Redis store, shared by all api replicas. Past it: 429 with
 * Retry-After and a message naming the limit. A Redis that does not answer lets requests through (and says so in
 * the log) rather than locking everyone out of signing in.
 */
export function addressRateLimit(limit: AddressLimit, { sendCommand, clientAddress, log }: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: limit.countFailuresOnly ?? false,
    passOnStoreError: true,
    keyGenerator: (req) => clientAddress(req),
    // The key is our own resolved address, not req.ip, so the library's checks on req.ip and proxies do not apply.
    validate: { ip: false, trustProxy: false, xForwardedForHeader: false, keyGeneratorIpFallback: false },
    store: new RedisStore({ prefix: `importer:rate:${limit.name}:`, sendCommand }),
    handler: (req, res, _next, options) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      log.warn('rate limit reached', { limit: limit.name, windowMs: limit.windowMs });
      res
        .set('Retry-After', String(seconds))
        .status(429)
        .json({ error: { code: 'rate_limited', message: `Too many ${limit.what} from this address (at most ${limit.max} in ${Math.round(limit.windowMs / 60_000)} min); try again in ${seconds} s.` } });
    },
  });
}
