import { type JobStatus, type JobTotals, type LedgerCounts, type SourceKind, TERMINAL_STATUSES } from '@importer/contracts';

/** What the ImportJob actor keeps: counters and flags only, O(1) per job whatever its size. */
export interface JobState extends JobTotals {
  jobId: string;
  source: SourceKind;
  folderUrl: string | null;
  /** Subfolders are listed too. */
  recursive: boolean;
  status: JobStatus;
  /** Folders whose listing has not reached its last page; listing is over at zero. */
  foldersPending: number;
  /** Why the whole job failed. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Last time any progress arrived; the watchdog compares against it. */
  lastProgressAt: string;
}

export type JobEvent =
  | { type: 'start'; jobId: string; source: SourceKind; folderUrl: string | null; recursive: boolean }
  | { type: 'listing-progress'; found: number; skipped: number; newFolders: number; folderDone: boolean }
  | { type: 'batch-done'; done: number; failed: number; skipped: number; bytes: number }
  /** Exact counts read from the ledger replace the counters built from (at-least-once) events. */
  | { type: 'reconcile'; counts: LedgerCounts }
  | { type: 'cancel' }
  | { type: 'fail'; error: string }
  /** Failed files go back to pending. */
  | { type: 'retry-failed'; files: number };

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** True when the counters say every file found has an outcome and no folder is left to list. */
export function looksFinished(state: JobState): boolean {
  return state.foldersPending === 0 && state.done + state.failed + state.skipped >= state.found;
}

/** The terminal status a finished job gets. */
export function finishedStatus(counts: Pick<JobState, 'failed'>): JobStatus {
  return counts.failed > 0 ? 'completed_with_errors' : 'completed';
}

/**
 * The job's state machine, pure: the state after `event` at time `now`. Events that arrive after the
 * job ended (a late batch of a cancelled job) leave it as it is; commands that make no sense throw.
 * Completion is not decided here: the actor confirms it against the ledger first (see `complete`).
 */
export function transition(state: JobState | undefined, event: JobEvent, now: string): JobState {
  if (event.type === 'start') {
    if (state) throw new TransitionError(`job ${state.jobId} has already started`);
    return {
      jobId: event.jobId,
      source: event.source,
      folderUrl: event.folderUrl,
      recursive: event.recursive,
      status: 'listing',
      found: 0,
      done: 0,
      failed: 0,
      skipped: 0,
      bytes: 0,
      foldersPending: 1,
      error: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      lastProgressAt: now,
    };
  }
  if (!state) throw new TransitionError(`no job to apply ${event.type} to`);
  const touched = { ...state, updatedAt: now };

  switch (event.type) {
    case 'listing-progress':
      if (isTerminal(state.status)) return state;
      return {
        ...touched,
        status: state.found + event.found > 0 ? 'running' : state.status,
        found: state.found + event.found,
        skipped: state.skipped + event.skipped,
        foldersPending: Math.max(0, state.foldersPending + event.newFolders - (event.folderDone ? 1 : 0)),
        lastProgressAt: now,
      };
    case 'batch-done':
      if (isTerminal(state.status)) return state;
      return {
        ...touched,
        status: 'running',
        done: state.done + event.done,
        failed: state.failed + event.failed,
        skipped: state.skipped + event.skipped,
        bytes: state.bytes + event.bytes,
        lastProgressAt: now,
      };
    case 'reconcile':
      if (isTerminal(state.status)) return state;
      return { ...touched, ...event.counts };
    case 'cancel':
      if (isTerminal(state.status)) throw new TransitionError(`job ${state.jobId} has already ended (${state.status})`);
      return { ...touched, status: 'cancelled', finishedAt: now };
    case 'fail':
      if (isTerminal(state.status)) return state;
      return { ...touched, status: 'failed', error: event.error, finishedAt: now };
    case 'retry-failed':
      if (state.status !== 'completed_with_errors') {
        throw new TransitionError(`only a job that completed with errors can retry its failed files (this one is ${state.status})`);
      }
      return { ...touched, status: 'running', failed: state.failed - event.files, finishedAt: null, lastProgressAt: now };
  }
}

/** Ends a job whose exact ledger counts show nothing left; returns undefined when something is still pending. */
export function complete(state: JobState, exact: LedgerCounts, now: string): JobState | undefined {
  if (isTerminal(state.status)) return undefined;
  const reconciled = { ...state, ...exact };
  if (!looksFinished(reconciled)) return undefined;
  return { ...reconciled, status: finishedStatus(reconciled), updatedAt: now, finishedAt: now };
}
