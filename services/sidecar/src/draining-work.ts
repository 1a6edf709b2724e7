/**
 * The deliveries a replica is working on, and its shutdown: once `drain` begins the replica takes no new work, what
 * runs may finish for a grace period, then `signal` aborts it (its holder hands it back). One per handler.
 */
export class DrainingWork {
  private readonly running = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private stopping = false;

  /** True once `drain` began: new work is handed back, not started. */
  get draining(): boolean {
    return this.stopping;
  }

  /** Aborts, with `reason`, the work still running when the grace ran out. */
  get signal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Runs `work`, counted as in flight until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.running.add(running);
    try {
      return await running;
    } finally {
      this.running.delete(running);
    }
  }

  /**
   * Stops taking work, lets what runs finish for `graceMs`, then aborts it with `reason` and waits up to `settleMs`
   * for it to hand its work back. Resolves by `graceMs + settleMs` whatever still runs.
   */
  async drain(graceMs: number, reason: Error, settleMs = 2_000): Promise<void> {
    this.stopping = true;
    await this.settledWithin(graceMs);
    this.shutdown.abort(reason);
    await this.settledWithin(settleMs);
  }

  private async settledWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
}
