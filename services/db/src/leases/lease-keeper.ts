/** Renews the named leases this process holds; answers the names it still holds (the others were taken over). */
export type RenewLeases = (names: readonly string[]) => Promise<ReadonlySet<string>>;

export interface LeaseKeeperOptions {
  renew: RenewLeases;
  /** How often every held lease is renewed: a third of its time to live, so two renewals may fail before it expires. */
  intervalMs: number;
  /** Where a failed round or a lost lease is told (the services' Logger fits). */
  log: { warn(message: string, fields?: Record<string, unknown>): void };
}

/**
 * Keeps this process's leases alive while it works on them, in one statement per round for all of them, and aborts
 * the work on any lease it no longer holds (it expired and another replica took it), so no second object is written
 * beside the new holder's for long.
 */
export class LeaseKeeper {
  private readonly held = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Starts renewing `name` (its lease was just taken); the signal aborts if the lease is lost. */
  hold(name: string): AbortSignal {
    const controller = new AbortController();
    this.held.set(name, controller);
    this.timer ??= setInterval(() => void this.renewAll(), this.options.intervalMs).unref();
    return controller.signal;
  }

  /** Stops renewing `name`: its work has an outcome, or was handed back. */
  release(name: string): void {
    this.held.delete(name);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get size(): number {
    return this.held.size;
  }

  /** One renewal round; a failed round is only logged (the leases may still be renewed by the next, before they expire). */
  async renewAll(): Promise<void> {
    const names = [...this.held.keys()];
    if (names.length === 0) return;
    let kept: ReadonlySet<string>;
    try {
      kept = await this.options.renew(names);
    } catch (error) {
      this.options.log.warn('could not renew leases', { leases: names.length, error });
      return;
    }
    const lost = names.filter((name) => !kept.has(name) && this.held.has(name));
    for (const name of lost) {
      this.held.get(name)?.abort(new LeaseLost(name));
      this.release(name);
    }
    if (lost.length) this.options.log.warn('leases lost to another replica; their work is aborted here', { lost: lost.length });
  }
}

/** The abort reason of work whose lease another replica holds now. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
  constructor(lease: string) {
    super(`lease_lost: another replica took over ${lease.replace('\u0000', '/')} after this one's lease ran out`);
  }
}

/** The lease name of a job's file or folder: the same id in another job is other work. */
export function leaseName(jobId: string, id: string): string {
  return `${jobId}\u0000${id}`;
}

/** The job and the id a lease name was made of. */
export function splitLeaseName(name: string): [jobId: string, id: string] {
  const at = name.indexOf('\u0000');
  return [name.slice(0, at), name.slice(at + 1)];
}

/** A keeper for `settings`' leases, renewing them through a repository's `renewLeases` (the ledger table it holds work in). */
export function leaseKeeperFor(
  renewLeases: (holder: string, ttlMs: number, pairs: [string, string][]) => Promise<[string, string][]>,
  settings: { lease: { holder: string; ttlMs: number }; renewIntervalMs: number },
  log: LeaseKeeperOptions['log'],
): LeaseKeeper {
  return new LeaseKeeper({
    renew: async (names) => {
      const kept = await renewLeases(settings.lease.holder, settings.lease.ttlMs, names.map(splitLeaseName));
      return new Set(kept.map(([jobId, id]) => leaseName(jobId, id)));
    },
    intervalMs: settings.renewIntervalMs,
    log,
  });
}
