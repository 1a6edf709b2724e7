import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseGrantV1, REQUEST_QUOTA_ACTOR } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import type { ActorInvoker } from './actor-invoker.js';

/**
 * A source's request budget shared by every replica: tokens are leased from the source's RequestQuota actor in
 * blocks (one actor call per block, not per request), and a "slow down" from the source pauses everyone.
 */
export class LeasedRequestBudget {
  private tokens = 0;
  private leasing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly actors: ActorInvoker,
    /** The source kind, which is the quota actor's id. */
    private readonly source: string,
    private readonly log: Logger,
    private readonly blockSize = 50,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      if (this.closed) throw new Error(`the request budget of ${this.source} is closed`);
      // The next block is leased while half of this one is left, so requests rarely wait on the actor.
      if (this.tokens <= this.blockSize / 2) this.leaseInBackground();
      if (this.tokens > 0) {
        this.tokens--;
        return;
      }
      await this.leasing;
    }
  }

  private leaseInBackground(): void {
    this.leasing ??= this.lease()
      .catch((error: unknown) => {
        this.log.warn('leasing request tokens failed; asking again', { source: this.source, error });
        return sleep(1_000);
      })
      .finally(() => {
        this.leasing = undefined;
      });
  }

  /** Stops leasing; callers still waiting get an error instead of waiting forever (at shutdown). */
  close(): void {
    this.closed = true;
  }

  throttle(retryAfterMs: number): void {
    this.tokens = 0;
    this.actors.invoke(REQUEST_QUOTA_ACTOR, this.source, 'throttle', { retryAfterMs: Math.round(retryAfterMs) }).catch((error: unknown) => {
      this.log.warn('could not report a throttle to the request quota', { source: this.source, error });
    });
  }

  private async lease(): Promise<void> {
    const grant = LeaseGrantV1.parse(await this.actors.invoke(REQUEST_QUOTA_ACTOR, this.source, 'lease', { want: this.blockSize }));
    if (grant.granted > 0) this.tokens += grant.granted;
    else await sleep(Math.min(Math.max(grant.retryAfterMs, 10), 5_000));
  }
}
