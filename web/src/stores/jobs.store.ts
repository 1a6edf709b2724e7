import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { canRetryFailed, hasEnded, type JobDetail, type JobSummary, JobSummaryV1, sourceLabel } from '@importer/contracts';
import { useApi } from '../composables/use-api.js';
import { errorMessage } from '../lib/format.js';
import { averageRate, filesFinished, NO_ESTIMATE, type ProgressEstimate, ProgressTracker } from '../lib/job-progress.js';
import { useSessionStore } from './session.store.js';

export type JobAction = 'cancel' | 'retry';

export const JOBS_PAGE_SIZE = 50;

export const isActive = (job: Pick<JobSummary, 'status'>) => !hasEnded(job.status);

/** Everything a job's card shows, from what the store knows of that job. */
export interface JobView {
  /** The job as the API last reported it. */
  job: JobSummary;
  /** The folder link, or the kind of import when there is none (a list of URLs). */
  title: string;
  sourceName: string;
  /** Not ended yet: it can be cancelled, and its last stat is the time left rather than the duration. */
  active: boolean;
  /** False while the job is queued or listing: no percentage and no time left until the files are counted. */
  totalKnown: boolean;
  /** The total counts the files listed so far, and more may come. */
  totalGrowing: boolean;
  /** Files with an outcome: imported, failed or skipped. */
  finishedFiles: number;
  /** The speed over the last seconds while the job runs; its average once it has ended. */
  estimate: ProgressEstimate;
  /** How long an ended job took; null while it runs, or when it ended without an end time. */
  durationSeconds: number | null;
  /** Ended with failed files, which a retry sends again. */
  canRetry: boolean;
  /** Some files were imported, so the gallery has something to show for the job. */
  hasImages: boolean;
  /** The action sent and not answered yet: the buttons wait for it. */
  pending: JobAction | undefined;
  /** Why the last action, or loading the failed files, did not work. */
  actionError: string | undefined;
  /** The failed files with their reasons, once the job's detail has been loaded. */
  failedFiles: JobDetail['errors'] | undefined;
}

/** The view of one job, from its summary and what else the store holds for it. */
export function jobView(
  job: JobSummary,
  known: { estimate?: ProgressEstimate; detail?: JobDetail; pending?: JobAction; actionError?: string } = {},
): JobView {
  const active = isActive(job);
  return {
    job,
    title: job.folder_url ?? `${sourceLabel(job.source)} import`,
    sourceName: sourceLabel(job.source),
    active,
    totalKnown: job.status !== 'queued' && job.status !== 'listing',
    totalGrowing: job.status === 'listing',
    finishedFiles: filesFinished(job),
    estimate: known.estimate ?? NO_ESTIMATE,
    durationSeconds: !active && job.finished_at ? (Date.parse(job.finished_at) - Date.parse(job.created_at)) / 1_000 : null,
    canRetry: canRetryFailed(job.status),
    hasImages: job.processed_files > 0,
    pending: known.pending,
    actionError: known.actionError,
    failedFiles: known.detail?.errors,
  };
}

/**
 * The jobs, newest first, each with its view (live speed estimates, failed files, cancel/retry in flight): the
 * signed-in user's own, or everyone's when an administrator asks for all users.
 */
export const useJobsStore = defineStore('jobs', () => {
  const api = useApi();
  const session = useSessionStore();
  const jobs = ref<JobSummary[]>([]);
  const details = ref<Record<string, JobDetail>>({});
  const estimates = ref<Record<string, ProgressEstimate>>({});
  const pending = ref(new Map<string, JobAction>());
  const actionErrors = ref(new Map<string, string>());
  const loaded = ref(false);
  /** Where older jobs continue, once the first page has been read; null when there are none. */
  const olderCursor = ref<string | null>(null);
  const loadingOlder = ref(false);
  // Jobs from pages after the first: polling refreshes the first page only, and these stay below it.
  const olderIds = new Set<string>();
  const error = ref<string | null>(null);
  /** Every user's jobs rather than one's own; only administrators are offered it, and the API ignores it for others. */
  const allUsers = ref(false);
  const trackers = new Map<string, ProgressTracker>();
  // Answers asked for before the list was last emptied (another user, the other scope) are dropped.
  let generation = 0;

  const anyActive = computed(() => jobs.value.some(isActive));
  /** One per job, in the order of `jobs`. */
  const views = computed(() =>
    jobs.value.map((job) =>
      jobView(job, { estimate: estimates.value[job.job_id], detail: details.value[job.job_id], pending: pending.value.get(job.job_id), actionError: actionErrors.value.get(job.job_id) }),
    ),
  );

  function track(job: JobSummary, at = Date.now()): void {
    if (!isActive(job)) {
      trackers.delete(job.job_id);
      estimates.value[job.job_id] = averageRate(job);
      return;
    }
    let tracker = trackers.get(job.job_id);
    if (!tracker) trackers.set(job.job_id, (tracker = new ProgressTracker()));
    tracker.add({ at, files: filesFinished(job), bytes: job.bytes });
    const remaining = job.status === 'running' ? Math.max(0, job.total_files - filesFinished(job)) : null;
    estimates.value[job.job_id] = tracker.estimate(remaining);
  }

  /** Puts a fresher summary in place (or first, for a job the list has not shown yet). */
  function upsert(summary: JobSummary): void {
    const at = jobs.value.findIndex((j) => j.job_id === summary.job_id);
    if (at === -1) jobs.value.unshift(summary);
    else jobs.value[at] = summary;
    track(summary);
  }

  const listPage = (cursor?: string) => (allUsers.value ? api.jobs.list(JOBS_PAGE_SIZE, cursor, true) : api.jobs.list(JOBS_PAGE_SIZE, cursor));

  async function refresh(): Promise<void> {
    const asked = generation;
    try {
      const list = await listPage();
      if (asked !== generation) return;
      const listed = new Set(list.jobs.map((j) => j.job_id));
      // Older pages already read, and a job opened by link but older than the first page, stay in view as they are now.
      const kept = jobs.value.filter((j) => !listed.has(j.job_id) && (olderIds.has(j.job_id) || details.value[j.job_id]));
      jobs.value = [...list.jobs, ...kept];
      if (!olderIds.size) olderCursor.value = list.next_cursor;
      for (const job of list.jobs) track(job);
      error.value = null;
    } catch (e) {
      if (asked === generation) error.value = errorMessage(e);
    } finally {
      if (asked === generation) loaded.value = true;
    }
  }

  async function loadOlder(): Promise<void> {
    if (loadingOlder.value || !olderCursor.value) return;
    loadingOlder.value = true;
    const asked = generation;
    try {
      const list = await listPage(olderCursor.value);
      if (asked !== generation) return;
      const shown = new Set(jobs.value.map((j) => j.job_id));
      const fresh = list.jobs.filter((j) => !shown.has(j.job_id));
      jobs.value = [...jobs.value, ...fresh];
      for (const job of fresh) {
        olderIds.add(job.job_id);
        track(job);
      }
      olderCursor.value = list.next_cursor;
    } catch (e) {
      if (asked === generation) error.value = errorMessage(e);
    } finally {
      if (asked === generation) loadingOlder.value = false;
    }
  }

  /** Empties the list, as it was before the first refresh. */
  function forget(): void {
    generation++;
    jobs.value = [];
    details.value = {};
    estimates.value = {};
    pending.value = new Map();
    actionErrors.value = new Map();
    loaded.value = false;
    olderCursor.value = null;
    loadingOlder.value = false;
    olderIds.clear();
    trackers.clear();
    error.value = null;
  }

  /** Switches between one's own jobs and every user's, emptying the list for the next refresh; false when it was so already. */
  function setAllUsers(all: boolean): boolean {
    if (all === allUsers.value) return false;
    forget();
    allUsers.value = all;
    return true;
  }

  // Another person signed in, or nobody is: nothing of the last one's jobs stays on screen.
  watch(
    () => session.user?.id,
    () => {
      forget();
      allUsers.value = false;
    },
    { flush: 'sync' },
  );

  async function loadDetail(jobId: string): Promise<JobDetail | undefined> {
    try {
      const detail = await api.jobs.get(jobId);
      details.value[jobId] = detail;
      upsert(JobSummaryV1.parse(detail));
      return detail;
    } catch (e) {
      actionErrors.value.set(jobId, errorMessage(e));
      return undefined;
    }
  }

  async function act(jobId: string, action: JobAction): Promise<void> {
    if (pending.value.has(jobId)) return;
    pending.value.set(jobId, action);
    actionErrors.value.delete(jobId);
    try {
      upsert(action === 'cancel' ? await api.jobs.cancel(jobId) : await api.jobs.retry(jobId));
      if (details.value[jobId]) await loadDetail(jobId);
    } catch (e) {
      actionErrors.value.set(jobId, errorMessage(e));
    } finally {
      pending.value.delete(jobId);
    }
  }

  const find = (jobId: string): JobSummary | undefined => jobs.value.find((j) => j.job_id === jobId);

  return {
    jobs,
    views,
    details,
    loaded,
    error,
    anyActive,
    olderCursor,
    loadingOlder,
    allUsers,
    refresh,
    setAllUsers,
    loadOlder,
    loadDetail,
    cancel: (jobId: string) => act(jobId, 'cancel'),
    retry: (jobId: string) => act(jobId, 'retry'),
    find,
  };
});
