import {
  type BatchDone,
  canRetryFailed,
  hasEnded,
  type JobStatus,
  JobStatusSchema,
  JobTotalsSchema,
  type LedgerCounts,
  type ListingProgress,
  type SourceKind,
  SourceKindSchema,
} from '@importer/contracts';
import { z } from 'zod';

/** What the ImportJob actor keeps: counters (the contracts' JobTotals) and flags only, O(1) per job whatever its size. */
export const JobStateSchema = JobTotalsSchema.extend({
  jobId: z.string(),
  source: SourceKindSchema,
  folderUrl: z.string().nullable(),
  /** Subfolders are listed too. */
  recursive: z.boolean(),
  status: JobStatusSchema,
  /** Folders whose listing has not reached its last page; listing is over at zero. */
  foldersPending: z.number().int().nonnegative(),
  /** Why the whole job failed. */
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Last time any progress arrived; the watchdog compares against it. */
  lastProgressAt: z.string(),
  /** The owner's quota of files per job; a job kept from before quotas has none. */
  maxFiles: z.number().int().nullable().default(null),
});
export type JobState = z.infer<typeof JobStateSchema>;

export type JobEvent =
  | { type: 'start'; jobId: string; source: SourceKind; folderUrl: string | null; recursive: boolean; maxFiles: number | null }
  | ({ type: 'listing-progress' } & Omit<ListingProgress, 'jobId'>)
  | ({ type: 'batch-done' } & Omit<BatchDone, 'jobId'>)
  /** Exact counts read from the ledger replace the counters built from (at-least-once) events; nothing left ends the job. */
  | { type: 'reconcile'; counts: LedgerCounts }
  | { type: 'cancel' }
  | { type: 'fail'; error: string }
  /** The failed files go back to pending (the actor resets them in the ledger once this is applied). */
  | { type: 'retry-failed' };

/** What an event does to a job: the one answer the actor acts on. */
export type Transition =
  /** The job changed; `ended` when this event is what ended it (the watchdog stops, the webhook is due). */
  | { outcome: 'applied'; state: JobState; ended: boolean }
  /** Nothing to do, and nothing wrong: a late event for a job that has ended, or a start repeated. */
  | { outcome: 'ignored'; state: JobState; reason: string }
  /** The command makes no sense for the job as it is (or there is no job); `state` is the job, unchanged. */
  | { outcome: 'conflict'; state: JobState | undefined; reason: string };

/** What the database keeps of a job: enough to rebuild the actor's state when its store lost it. */
export interface KeptJob {
  id: string;
  source: SourceKind;
  folderUrl: string | null;
  recursive: boolean;
  maxFiles: number | null;
  status: JobStatus;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/**
 * The actor's state rebuilt from the job's row and the ledger's exact counts; none for a job still `queued`, whose
 * start never committed (the start, repeated, does it all). The stall clock runs from the row's last save.
 */
export function restoredState(job: KeptJob, counts: LedgerCounts): JobState | undefined {
  if (job.status === 'queued') return undefined;
  return {
    ...counts,
    jobId: job.id,
    source: job.source,
    folderUrl: job.folderUrl,
    recursive: job.recursive,
    status: job.status,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    lastProgressAt: job.updatedAt.toISOString(),
    maxFiles: job.maxFiles,
  };
}

/** True when the counters say every file found has an outcome and no folder is left to list: time to ask the ledger. */
export function looksFinished(state: Pick<JobState, 'totalFiles' | 'processedFiles' | 'failedFiles' | 'skippedFiles' | 'foldersPending'>): boolean {
  return state.foldersPending === 0 && state.processedFiles + state.failedFiles + state.skippedFiles >= state.totalFiles;
}

/** The status a finished job gets. */
export function finishedStatus(counts: Pick<JobState, 'failedFiles'>): JobStatus {
  return counts.failedFiles > 0 ? 'completed_with_errors' : 'completed';
}

/** The cut-off for stalled work: the job has had no progress for `stallAfterMs`, so work older than this is sent again. */
export function stalledBefore(state: Pick<JobState, 'lastProgressAt'>, nowMs: number, stallAfterMs: number): Date | undefined {
  return nowMs - Date.parse(state.lastProgressAt) < stallAfterMs ? undefined : new Date(nowMs - stallAfterMs);
}

const applied = (state: JobState): Transition => ({ outcome: 'applied', state, ended: hasEnded(state.status) });

/**
 * The job's state machine, pure: what `event` at time `now` does to `state`. Events that arrive after the job ended
 * (a late batch of a cancelled job) are ignored; commands that make no sense are conflicts, with the reason.
 * Completion is decided only on counts read from the ledger (`reconcile`), never on the event counters alone.
 */
export function transition(state: JobState | undefined, event: JobEvent, now: string): Transition {
  if (event.type === 'start') {
    if (state) return { outcome: 'ignored', state, reason: `job ${state.jobId} has already started` };
    return {
      outcome: 'applied',
      ended: false,
      state: {
        jobId: event.jobId,
        source: event.source,
        folderUrl: event.folderUrl,
        recursive: event.recursive,
        status: 'listing',
        totalFiles: 0,
        processedFiles: 0,
        failedFiles: 0,
        skippedFiles: 0,
        bytes: 0,
        foldersPending: 1,
        error: null,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
        lastProgressAt: now,
        maxFiles: event.maxFiles,
      },
    };
  }
  if (!state) return { outcome: 'conflict', state, reason: `there is no job to apply ${event.type} to` };
  const touched = { ...state, updatedAt: now };

  switch (event.type) {
    case 'cancel':
      if (hasEnded(state.status)) return { outcome: 'conflict', state, reason: `the job has already ended (${state.status})` };
      return applied({ ...touched, status: 'cancelled', finishedAt: now });
    case 'retry-failed':
      if (!canRetryFailed(state.status)) {
        return { outcome: 'conflict', state, reason: `only a job that completed with errors has failed files to retry (this one is ${state.status})` };
      }
      return { outcome: 'applied', ended: false, state: { ...touched, status: 'running', failedFiles: 0, finishedAt: null, lastProgressAt: now } };
  }

  if (hasEnded(state.status)) return { outcome: 'ignored', state, reason: `the job has already ended (${state.status})` };
  switch (event.type) {
    case 'listing-progress':
      if (state.maxFiles !== null && state.totalFiles + event.totalFiles > state.maxFiles) {
        const error = `The import found more than ${state.maxFiles} files, the most one job may have on this account (its quota); import a smaller folder.`;
        return applied({ ...touched, totalFiles: state.totalFiles + event.totalFiles, status: 'failed', error, finishedAt: now });
      }
      return applied({
        ...touched,
        status: state.totalFiles + event.totalFiles > 0 ? 'running' : state.status,
        totalFiles: state.totalFiles + event.totalFiles,
        skippedFiles: state.skippedFiles + event.skippedFiles,
        foldersPending: Math.max(0, state.foldersPending + event.newFolders - (event.folderDone ? 1 : 0)),
        lastProgressAt: now,
      });
    case 'batch-done':
      return applied({
        ...touched,
        status: 'running',
        processedFiles: state.processedFiles + event.processedFiles,
        failedFiles: state.failedFiles + event.failedFiles,
        skippedFiles: state.skippedFiles + event.skippedFiles,
        bytes: state.bytes + event.bytes,
        lastProgressAt: now,
      });
    case 'reconcile': {
      const reconciled = { ...touched, ...event.counts };
      if (!looksFinished(reconciled)) return applied(reconciled);
      return applied({ ...reconciled, status: finishedStatus(reconciled), finishedAt: now });
    }
    case 'fail':
      return applied({ ...touched, status: 'failed', error: event.error, finishedAt: now });
  }
}
