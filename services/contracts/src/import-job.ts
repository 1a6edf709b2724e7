import { z } from 'zod';

/** A job's lifecycle; which statuses have ended, take work or can retry is said once, in `job-statuses.ts`. */
export const JobStatusSchema = z.enum(['queued', 'listing', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** A job's file counters: found, and of those done, failed or skipped, with the bytes imported. */
export const JobTotalsSchema = z.object({
  found: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type JobTotals = z.infer<typeof JobTotalsSchema>;

/** The ledger's counts for one job, exact (read from PostgreSQL). */
export const LedgerCountsSchema = JobTotalsSchema.extend({
  /** Folders still being listed (a page not yet listed). */
  foldersPending: z.number().int().nonnegative(),
});
export type LedgerCounts = z.infer<typeof LedgerCountsSchema>;
