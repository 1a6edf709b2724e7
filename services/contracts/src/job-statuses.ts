import { type JobStatus, JobStatusSchema } from './import-job.js';

/**
 * The job has its outcome: progress events no longer count, its watchdog stops, its webhook is due, and whoever
 * polls it can stop. Only a retry leaves one of these again (from `completed_with_errors`).
 */
export const ENDED_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(['completed', 'completed_with_errors', 'failed', 'cancelled']);

/**
 * Listing and transfer work is done only for a job in one of these: every status that has not ended. A cancelled or
 * failed job must not go on; a completed one stops work too, because a job completes only once the ledger holds no
 * pending file or folder, so a message that arrives for it is a redelivery with nothing left to do (a retry moves the
 * job to `running` before it publishes the files it sends again).
 */
export const ACCEPTS_WORK_STATUSES: ReadonlySet<JobStatus> = new Set(JobStatusSchema.options.filter((status) => !ENDED_STATUSES.has(status)));

/** Every file found has an outcome (imported, failed or skipped): the job's progress is 100 %. */
export const COMPLETED_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(['completed', 'completed_with_errors']);

/** The job has failed files a retry can send again; a cancelled or failed job is over, a running one is not done. */
export const RETRYABLE_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(['completed_with_errors']);

/** True once the job has its outcome (see `ENDED_STATUSES`). */
export function hasEnded(status: JobStatus): boolean {
  return ENDED_STATUSES.has(status);
}

/** True when listing and transfer should work for the job; false for an unknown job (`undefined`) too. */
export function acceptsWork(status: JobStatus | undefined): boolean {
  return status !== undefined && ACCEPTS_WORK_STATUSES.has(status);
}

/** True when every file found has an outcome (see `COMPLETED_STATUSES`). */
export function hasCompleted(status: JobStatus): boolean {
  return COMPLETED_STATUSES.has(status);
}

/** True when a retry can send the job's failed files again (see `RETRYABLE_STATUSES`). */
export function canRetryFailed(status: JobStatus): boolean {
  return RETRYABLE_STATUSES.has(status);
}
