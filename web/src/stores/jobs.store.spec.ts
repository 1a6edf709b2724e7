import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_ESTIMATE } from '../lib/job-progress.js';
import { deferred, fakeApi, installStores, job, jobDetail } from '../test-support/fake-api.js';
import { jobView, useJobsStore } from './jobs.store.js';

const viewOf = (jobs: ReturnType<typeof useJobsStore>, jobId = job().job_id) => jobs.views.find((v) => v.job.job_id === jobId);

describe('the jobs store', () => {
  it('lists jobs newest first and knows whether any is still running', async () => {
    installStores(fakeApi({ jobs: { list: async () => ({ jobs: [job({ job_id: 'a0000000-0000-4000-8000-000000000001' }), job({ status: 'completed' })], next_cursor: null }) } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    expect(jobs.jobs).toHaveLength(2);
    expect(jobs.anyActive).toBe(true);
    expect(jobs.loaded).toBe(true);
  });

  it('keeps the last list and says why when a refresh fails', async () => {
    const list = vi.fn().mockResolvedValueOnce({ jobs: [job()], next_cursor: null }).mockRejectedValueOnce(new Error('The server could not be reached.'));
    installStores(fakeApi({ jobs: { list } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    await jobs.refresh();
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.error).toBe('The server could not be reached.');
  });

  it('sends one cancel however many times it is clicked, and shows the answer', async () => {
    const answer = deferred<ReturnType<typeof job>>();
    const cancel = vi.fn(() => answer.promise);
    installStores(fakeApi({ jobs: { list: async () => ({ jobs: [job()], next_cursor: null }), cancel } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    const first = jobs.cancel(job().job_id);
    void jobs.cancel(job().job_id);
    expect(viewOf(jobs)?.pending).toBe('cancel');
    answer.resolve(job({ status: 'cancelled' }));
    await first;
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(jobs.find(job().job_id)?.status).toBe('cancelled');
    expect(viewOf(jobs)).toMatchObject({ pending: undefined, active: false });
  });

  it("keeps a refused action's message on the job, until the next action", async () => {
    const retry = vi.fn().mockRejectedValueOnce(new Error('Nothing to retry: the job has no failed files.')).mockResolvedValueOnce(job({ status: 'running' }));
    installStores(fakeApi({ jobs: { list: async () => ({ jobs: [job({ status: 'completed_with_errors', failed_files: 1 })], next_cursor: null }), retry } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    await jobs.retry(job().job_id);
    expect(viewOf(jobs)?.actionError).toBe('Nothing to retry: the job has no failed files.');
    await jobs.retry(job().job_id);
    expect(viewOf(jobs)).toMatchObject({ actionError: undefined, pending: undefined, active: true });
  });

  it('loads a job with its failed files, and shows it even when the list did not have it', async () => {
    const errors = [{ source_file_id: 'f1', name: 'broken.png', path: 'broken.png', reason: 'cannotDownloadAbusiveFile: malware' }];
    installStores(fakeApi({ jobs: { get: async () => jobDetail({ status: 'completed_with_errors', failed_files: 1, errors }) } }));
    const jobs = useJobsStore();
    await jobs.loadDetail(job().job_id);
    expect(jobs.details[job().job_id]?.errors).toEqual(errors);
    expect(jobs.find(job().job_id)?.status).toBe('completed_with_errors');
    expect(viewOf(jobs)).toMatchObject({ failedFiles: errors, canRetry: true });
  });

  it("puts why a job's failed files could not be loaded on its view", async () => {
    installStores(fakeApi({ jobs: { list: async () => ({ jobs: [job()], next_cursor: null }), get: () => Promise.reject(new Error('Job not found.')) } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    expect(await jobs.loadDetail(job().job_id)).toBeUndefined();
    expect(viewOf(jobs)).toMatchObject({ actionError: 'Job not found.', failedFiles: undefined });
  });

  it('shows older jobs page by page, and keeps them when the first page refreshes', async () => {
    const newest = job({ job_id: 'a0000000-0000-4000-8000-000000000002', status: 'running' });
    const oldest = job({ job_id: 'a0000000-0000-4000-8000-000000000001', status: 'completed' });
    const list = vi.fn(async (_limit?: number, cursor?: string) => (cursor ? { jobs: [oldest], next_cursor: null } : { jobs: [newest], next_cursor: 'page-2' }));
    installStores(fakeApi({ jobs: { list } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    expect(jobs.olderCursor).toBe('page-2');
    await jobs.loadOlder();
    expect(list).toHaveBeenLastCalledWith(50, 'page-2');
    expect(jobs.jobs.map((j) => j.job_id)).toEqual([newest.job_id, oldest.job_id]);
    expect(jobs.olderCursor).toBeNull();
    await jobs.refresh();
    expect(jobs.jobs.map((j) => j.job_id)).toEqual([newest.job_id, oldest.job_id]);
  });

  it("lists every user's jobs when an administrator asks, dropping an answer for the other scope that comes late", async () => {
    const own = deferred<{ jobs: ReturnType<typeof job>[]; next_cursor: string | null }>();
    const everyone = job({ job_id: 'c0000000-0000-4000-8000-000000000001' });
    const list = vi.fn((_limit?: number, _cursor?: string, all?: boolean) => (all ? Promise.resolve({ jobs: [everyone], next_cursor: null }) : own.promise));
    installStores(fakeApi({ jobs: { list } }));
    const jobs = useJobsStore();
    const late = jobs.refresh();
    expect(jobs.setAllUsers(true)).toBe(true);
    expect(jobs.setAllUsers(true)).toBe(false);
    await jobs.refresh();
    expect(list).toHaveBeenLastCalledWith(50, undefined, true);
    own.resolve({ jobs: [job()], next_cursor: null });
    await late;
    expect(jobs.jobs.map((j) => j.job_id)).toEqual([everyone.job_id]);
    expect(jobs.allUsers).toBe(true);
  });

  it('keeps an older job as it is now when the first page refreshes, not as it was first read', async () => {
    const newest = job({ job_id: 'a0000000-0000-4000-8000-000000000002', status: 'running' });
    const oldest = job({ job_id: 'a0000000-0000-4000-8000-000000000001', status: 'running' });
    const list = vi.fn(async (_limit?: number, cursor?: string) => (cursor ? { jobs: [oldest], next_cursor: null } : { jobs: [newest], next_cursor: 'page-2' }));
    installStores(fakeApi({ jobs: { list, cancel: async () => ({ ...oldest, status: 'cancelled' as const }) } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    await jobs.loadOlder();
    await jobs.cancel(oldest.job_id);
    await jobs.refresh();
    expect(jobs.find(oldest.job_id)?.status).toBe('cancelled');
  });

  it('gives one view per job, in the order of the list', async () => {
    const a = job({ job_id: 'a0000000-0000-4000-8000-000000000002' });
    const b = job({ job_id: 'a0000000-0000-4000-8000-000000000001', status: 'completed' });
    installStores(fakeApi({ jobs: { list: async () => ({ jobs: [a, b], next_cursor: null }) } }));
    const jobs = useJobsStore();
    await jobs.refresh();
    expect(jobs.views.map((v) => v.job)).toEqual([a, b]);
  });

  describe('live estimates on the views', () => {
    afterEach(() => vi.useRealTimers());

    it("measures a running job's speed and time left across refreshes", async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse('2026-11-21T10:00:10.000Z'));
      const list = vi
        .fn()
        .mockResolvedValueOnce({ jobs: [job({ processed_files: 10, bytes: 10_000 })], next_cursor: null })
        .mockResolvedValueOnce({ jobs: [job({ processed_files: 50, bytes: 50_000 })], next_cursor: null });
      installStores(fakeApi({ jobs: { list } }));
      const jobs = useJobsStore();
      await jobs.refresh();
      expect(viewOf(jobs)?.estimate).toEqual(NO_ESTIMATE);
      vi.setSystemTime(Date.parse('2026-11-21T10:00:12.000Z'));
      await jobs.refresh();
      expect(viewOf(jobs)?.estimate).toEqual({ filesPerSecond: 20, bytesPerSecond: 20_000, secondsLeft: 2.5 });
    });

    it('has no time left while the source is being listed, and the average speed once the job has ended', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse('2026-11-21T10:00:10.000Z'));
      const ended = job({ status: 'completed', processed_files: 100, bytes: 1_000_000, finished_at: '2026-11-21T10:00:20.000Z' });
      const list = vi
        .fn()
        .mockResolvedValueOnce({ jobs: [job({ status: 'listing', processed_files: 0 })], next_cursor: null })
        .mockResolvedValueOnce({ jobs: [job({ status: 'listing', processed_files: 30 })], next_cursor: null })
        .mockResolvedValueOnce({ jobs: [ended], next_cursor: null });
      installStores(fakeApi({ jobs: { list } }));
      const jobs = useJobsStore();
      await jobs.refresh();
      vi.setSystemTime(Date.parse('2026-11-21T10:00:13.000Z'));
      await jobs.refresh();
      expect(viewOf(jobs)?.estimate).toMatchObject({ filesPerSecond: 10, secondsLeft: null });
      await jobs.refresh();
      expect(viewOf(jobs)).toMatchObject({ estimate: { filesPerSecond: 5, bytesPerSecond: 50_000, secondsLeft: 0 }, durationSeconds: 20 });
    });
  });
});

describe("a job's view", () => {
  it('is titled by its folder link, or by its source when it has none', () => {
    expect(jobView(job())).toMatchObject({ title: 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp', sourceName: 'Google Drive' });
    expect(jobView(job({ source: 'url', folder_url: null }))).toMatchObject({ title: 'Image URLs import', sourceName: 'Image URLs' });
    expect(jobView(job({ source: 'dropbox', folder_url: null }))).toMatchObject({ title: 'Dropbox import', sourceName: 'Dropbox' });
  });

  it('knows the total of a running job, and counts every file with an outcome', () => {
    const view = jobView(job({ processed_files: 7, failed_files: 2, skipped_files: 1 }));
    expect(view).toMatchObject({ active: true, totalKnown: true, totalGrowing: false, finishedFiles: 10, durationSeconds: null, canRetry: false, hasImages: true });
  });

  it('has no total while queued, and a growing one while the source is being listed', () => {
    expect(jobView(job({ status: 'queued' }))).toMatchObject({ active: true, totalKnown: false, totalGrowing: false });
    expect(jobView(job({ status: 'listing' }))).toMatchObject({ active: true, totalKnown: false, totalGrowing: true });
  });

  it('gives an ended job its duration, and retry only when files failed', () => {
    const finished_at = '2026-11-21T10:02:05.000Z';
    expect(jobView(job({ status: 'completed_with_errors', failed_files: 1, finished_at }))).toMatchObject({ active: false, totalKnown: true, durationSeconds: 125, canRetry: true });
    for (const status of ['completed', 'failed', 'cancelled'] as const) expect(jobView(job({ status, finished_at }))).toMatchObject({ active: false, canRetry: false, durationSeconds: 125 });
    expect(jobView(job({ status: 'cancelled', finished_at: null })).durationSeconds).toBeNull();
  });

  it('has no gallery link before an image is imported', () => {
    expect(jobView(job({ processed_files: 0 })).hasImages).toBe(false);
  });

  it('brings the estimate, the action in flight, its error and the failed files together, with nothing known by default', () => {
    const errors = [{ source_file_id: 'f1', name: 'broken.png', path: 'broken.png', reason: 'notFound' }];
    const estimate = { filesPerSecond: 1, bytesPerSecond: 2, secondsLeft: 3 };
    expect(jobView(job(), { estimate, detail: jobDetail({ errors }), pending: 'retry', actionError: 'Refused.' })).toMatchObject({ estimate, failedFiles: errors, pending: 'retry', actionError: 'Refused.' });
    expect(jobView(job())).toMatchObject({ estimate: NO_ESTIMATE, failedFiles: undefined, pending: undefined, actionError: undefined });
  });
});
