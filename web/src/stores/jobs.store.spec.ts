import { describe, expect, it, vi } from 'vitest';
import { deferred, fakeApi, installStores, job, jobDetail } from '../test-support/fake-api.js';
import { useJobsStore } from './jobs.store.js';

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
    expect(jobs.pending.get(job().job_id)).toBe('cancel');
    answer.resolve(job({ status: 'cancelled' }));
    await first;
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(jobs.find(job().job_id)?.status).toBe('cancelled');
    expect(jobs.pending.has(job().job_id)).toBe(false);
  });

  it("keeps a refused action's message on the job", async () => {
    installStores(fakeApi({ jobs: { retry: () => Promise.reject(new Error('Nothing to retry: the job has no failed files.')) } }));
    const jobs = useJobsStore();
    await jobs.retry(job().job_id);
    expect(jobs.actionErrors.get(job().job_id)).toBe('Nothing to retry: the job has no failed files.');
  });

  it('loads a job with its failed files, and shows it even when the list did not have it', async () => {
    const errors = [{ source_file_id: 'f1', name: 'broken.png', path: 'broken.png', reason: 'cannotDownloadAbusiveFile: malware' }];
    installStores(fakeApi({ jobs: { get: async () => jobDetail({ status: 'completed_with_errors', failed_files: 1, errors }) } }));
    const jobs = useJobsStore();
    await jobs.loadDetail(job().job_id);
    expect(jobs.details[job().job_id]?.errors).toEqual(errors);
    expect(jobs.find(job().job_id)?.status).toBe('completed_with_errors');
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
});
