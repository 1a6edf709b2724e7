import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { WorkLease } from './work-lease.js';

/** The settings of a replica that takes ledger work under leases (lister, transfer). */
export const WorkerEnvSchema = z.object({
  /** How long a claim on a file or page stands without a renewal; a dead replica's work is sent again this soon. */
  LEASE_TTL_MS: z.coerce.number().int().min(3_000).max(600_000).default(15_000),
  /** On SIGTERM, how long work in flight may finish before it is handed back; below Kubernetes' 30 s grace period. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(20_000),
});

export interface WorkerSettings {
  lease: WorkLease;
  /** How often held leases are renewed: a third of their time to live. */
  renewIntervalMs: number;
  shutdownGraceMs: number;
}

/** This replica's lease and shutdown settings; the holder name is new for every process, so a restart holds nothing old. */
export function workerSettings(e: z.infer<typeof WorkerEnvSchema>, appId: string): WorkerSettings {
  const holder = `${appId}/${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  return { lease: { holder, ttlMs: e.LEASE_TTL_MS }, renewIntervalMs: Math.floor(e.LEASE_TTL_MS / 3), shutdownGraceMs: e.SHUTDOWN_GRACE_MS };
}
