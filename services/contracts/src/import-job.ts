import { z } from 'zod';

/** A job's lifecycle; which statuses have ended, take work or can retry is said once, in `job-statuses.ts`. */
export const JobStatusSchema = z.enum(['queued', 'listing', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

const count = z.number().int().nonnegative();

/**
 * A job's file counters, named as the assignment names them: the same words in the actor's state and events, the
 * ledger's counts, the `import_jobs` columns (`total_files`, …) and the API (`total_files`, …), so nothing below
 * HTTP renames a counter and the one mapper to HTTP only changes the case.
 */
export const JobTotalsSchema = z.object({
  /** Every file found: those to import and those skipped at once. */
  totalFiles: count,
  /** Imported: a file whose ledger status is `done`. */
  processedFiles: count,
  /** Failed for good, each with its reason in the ledger. */
  failedFiles: count,
  /** Left out (a Google Doc, not an image, an invalid URL), each with its reason. */
  skippedFiles: count,
  /** Bytes of the files imported. */
  bytes: count,
});
export type JobTotals = z.infer<typeof JobTotalsSchema>;

/** The ledger's counts for one job, exact (read from PostgreSQL). */
export const LedgerCountsSchema = JobTotalsSchema.extend({
  /** Folders still being listed (a page not yet listed). */
  foldersPending: count,
});
export type LedgerCounts = z.infer<typeof LedgerCountsSchema>;
