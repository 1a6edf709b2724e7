import pLimit, { type LimitFunction } from 'p-limit';

/**
 * At most `limit` holders at a time, shared by every batch this process handles; waiters start first come, first
 * served. p-limit takes a place for the next waiter in the same step that frees it, so a newcomer cannot slip in.
 */
export class Semaphore {
  private readonly limit: LimitFunction;

  constructor(limit: number) {
    this.limit = pLimit(limit);
  }

  /** Runs `work` once a place is free; its result or error is the caller's. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.limit(work);
  }
}
