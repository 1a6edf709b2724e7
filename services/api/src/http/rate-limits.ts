import type { Request, RequestHandler } from 'express';
import { type ClientRateLimitInfo, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '@importer/observability';

/** How long counting a request may take before the request goes on uncounted. */
const COUNT_TIMEOUT_MS = 2_000;

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
  /** Sends one raw command to the shared Redis (see redis-commands.ts); bounded here, not there. */
  sendCommand: (...args: string[]) => Promise<RedisReply>;
  clientAddress: (req: Request) => string;
  /** Starts every counter's key (RATE_LIMIT_KEY_PREFIX). */
  keyPrefix: string;
  log: Logger;
}

function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer in ${COUNT_TIMEOUT_MS} ms`)), COUNT_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * rate-limit-redis keeps the promise of its script's first load, so a load that failed (Redis away or slow when the
 * limiter was made) would fail every count for the life of the process: here the next count loads it again.
 */
class ReloadingRedisStore extends RedisStore {
  override increment(key: string): Promise<ClientRateLimitInfo> {
    this.incrementScriptSha = this.incrementScriptSha.catch(() => this.loadIncrementScript());
    return within(super.increment(key), 'rate-limit redis');
  }
}

const windowInWords = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.ceil(ms / 1000)} s`);

/**
 * A per-address limit in `express-rate-limit` with its Redis store, shared by all api replicas. Past it: 429 with
 * Retry-After and a message naming the limit. A Redis that does not answer within 2 s lets requests through (and says
 * so in the log) rather than locking everyone out of signing in.
 */
export function addressRateLimit(limit: AddressLimit, { sendCommand, clientAddress, keyPrefix, log }: RateLimitOptions): RequestHandler {
  const storeTrouble = (error: unknown, message?: string) =>
    log.warn('rate limit store failed', { limit: limit.name, message, error: error instanceof Error ? error.message : String(error) });
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
    logger: { error: storeTrouble, warn: storeTrouble },
    // Each command is bounded too: a script load that never ends would otherwise hold every later count.
    store: new ReloadingRedisStore({ prefix: `${keyPrefix}${limit.name}:`, sendCommand: (...args: string[]) => within(sendCommand(...args), 'rate-limit redis') }),
    handler: (req, res, _next, options) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      log.warn('rate limit reached', { limit: limit.name, windowMs: limit.windowMs });
      res
        .set('Retry-After', String(seconds))
        .status(429)
        .json({ error: { code: 'rate_limited', message: `Too many ${limit.what} from this address (at most ${limit.max} in ${windowInWords(limit.windowMs)}); try again in ${seconds} s.` } });
    },
  });
}
