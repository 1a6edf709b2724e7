/**
 * A replica's claim on ledger work (a file, or a folder's page): who holds it, and for how long without a renewal.
 * The rules of leases live here and in the SQL of the repositories that take them, nowhere else.
 */
export interface WorkLease {
  /** This process, unique across restarts: a dead replica's name never comes back to renew its leases. */
  holder: string;
  /** How long a claim stands without a renewal; a replica renews well before that. */
  ttlMs: number;
}

/** SQL: the row is free to claim: no one holds it, or its holder stopped renewing. */
export const LEASE_FREE = `(lease_holder IS NULL OR lease_expires_at < now())`;

/** SQL: `$n` milliseconds from now, for a lease's expiry. */
export const msFromNow = (parameter: string) => `now() + ${parameter}::int * interval '1 millisecond'`;

/** How long an attempt that failed waits before the next: 1 s, doubling, at most 30 s (the reaper sends it when due). */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}
