import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type JobDetail, type JobSummary, JobSummaryV1, TERMINAL_STATUSES } from '@importer/contracts';
import { useApi } from '../composables/use-api.js';
import { errorMessage } from '../lib/format.js';
import { averageRate, filesFinished, NO_ESTIMATE, type ProgressEstimate, ProgressTracker } from '../lib/job-progress.js';

export type JobAction = 'cancel' | 'retry';

export const isActive = (job: Pick<JobSummary, 'status'>) => !TERMINAL_STATUSES.has(job.status);

/** The jobs, newest first, with live speed estimates, per-file errors and cancel/retry. */
export const useJobsStore = defineStore('jobs', () => {
  const api = useApi();
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
  const trackers = new Map<string, ProgressTracker>();

  const anyActive = computed(() => jobs.value.some(isActive));

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

  async function refresh(): Promise<void> {
    try {
      const list = await api.jobs.list();
      const listed = new Set(list.jobs.map((j) => j.job_id));
      // Older pages already read, and a job opened by link but older than the first page, stay in view as they are now.
      const kept = jobs.value.filter((j) => !listed.has(j.job_id) && (olderIds.has(j.job_id) || details.value[j.job_id]));
      jobs.value = [...list.jobs, ...kept];
      if (!olderIds.size) olderCursor.value = list.next_cursor;
      for (const job of list.jobs) track(job);
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loaded.value = true;
    }
  }

  async function loadOlder(): Promise<void> {
    if (loadingOlder.value || !olderCursor.value) return;
    loadingOlder.value = true;
    try {
      const list = await api.jobs.list(50, olderCursor.value);
      const shown = new Set(jobs.value.map((j) => j.job_id));
      const fresh = list.jobs.filter((j) => !shown.has(j.job_id));
      jobs.value = [...jobs.value, ...fresh];
      for (const job of fresh) {
        olderIds.add(job.job_id);
        track(job);
      }
      olderCursor.value = list.next_cursor;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loadingOlder.value = false;
    }
  }

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

  const estimateOf = (jobId: string): ProgressEstimate => estimates.value[jobId] ?? NO_ESTIMATE;
  const find = (jobId: string): JobSummary | undefined => jobs.value.find((j) => j.job_id === jobId);

  return {
    jobs,
    details,
    pending,
    actionErrors,
    loaded,
    error,
    anyActive,
    olderCursor,
    loadingOlder,
    refresh,
    loadOlder,
    loadDetail,
    cancel: (jobId: string) => act(jobId, 'cancel'),
    retry: (jobId: string) => act(jobId, 'retry'),
    estimateOf,
    find,
  };
});
