import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestBudget } from './request-budget.js';
import { SourceError } from './source-error.js';

/** How hard to retry. Defaults follow Google's advice: 1 s, 2 s, 4 s ... capped at 32 s. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 6. */
  maxAttempts: number;
  /** Cap of the n-th backoff `base * 2^(n-1)` before jitter. Default 1000 ms. */
  baseDelayMs: number;
  /** Cap of any backoff. Default 32 000 ms. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for here: the error goes to the caller, who can requeue. Default 120 000 ms. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1). */
  random: () => number;
  /** Called before each wait, for logs and tests. */
  onRetry?: (event: { attempt: number; delayMs: number; error: SourceError }) => void;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 32_000,
  maxRetryAfterMs: 120_000,
  sleep: (ms) => sleep(ms),
  random: Math.random,
};

/**
 * Truncated exponential backoff with full jitter (AWS architecture blog, Google's limits guide): the
 * n-th retry waits random() * min(maxDelay, base * 2^(n-1)), or the server's Retry-After when that is
 * longer. Every attempt first takes a token from the shared budget; a rate-limit answer throttles the
 * budget, so every caller sharing it slows down, not only this one.
 */
export class RetryPolicy {
  private readonly options: RetryOptions;

  constructor(
    private readonly budget: RequestBudget,
    private readonly classify: (error: unknown) => SourceError,
    options: Partial<RetryOptions> = {},
  ) {
    this.options = { ...DEFAULT_RETRY_OPTIONS, ...options };
  }

  /** The wait before retry number `attempt` (1 for the first retry) after `error`. */
  delayFor(attempt: number, error: SourceError): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.floor(random() * ceiling);
    return Math.max(jittered, error.details.retryAfterMs ?? 0);
  }

  /** Runs `operation` until it succeeds, fails for good, or runs out of attempts; throws the SourceError. */
  async run<T>(operation: (attempt: number) => Promise<T>): Promise<T> {
    const { maxAttempts, maxRetryAfterMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      await this.budget.acquire();
      try {
        return await operation(attempt);
      } catch (raw) {
        const error = this.classify(raw);
        if (!error.retryable) throw error;
        if (attempt >= maxAttempts) {
          throw new SourceError(error.kind, error.reason, `${error.message} (gave up after ${attempt} attempts)`, error.details);
        }
        if ((error.details.retryAfterMs ?? 0) > maxRetryAfterMs) throw error;
        const delayMs = this.delayFor(attempt, error);
        if (error.kind === 'rate_limited') this.budget.throttle(delayMs);
        this.options.onRetry?.({ attempt, delayMs, error });
        await this.options.sleep(delayMs);
      }
    }
  }
}
