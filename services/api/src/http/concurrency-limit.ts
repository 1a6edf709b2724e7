/** A bound on work in progress that refuses instead of queueing: past it, the caller answers 429. */
export class ConcurrencyLimit {
  private active = 0;

  constructor(readonly max: number) {}

  /** A release function when under the bound (call it once, when the work ends), or undefined when full. */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.max) return undefined;
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }

  get inUse(): number {
    return this.active;
  }
}
