import { type JobDetail, JobDetailV1, type JobList, JobListV1, type JobSummary, JobSummaryV1 } from '@importer/contracts';
import type { HttpClient } from './http-client.js';

export interface JobsApi {
  /**
   * Newest first; `cursor` continues after the last job of a previous page. The signed-in user's own jobs, or, with
   * `allUsers` and an administrator signed in, everyone's (the API ignores it for anyone else).
   */
  list(limit?: number, cursor?: string, allUsers?: boolean): Promise<JobList>;
  get(jobId: string): Promise<JobDetail>;
  cancel(jobId: string): Promise<JobSummary>;
  retry(jobId: string): Promise<JobSummary>;
}

export function jobsApi(http: HttpClient): JobsApi {
  const job = (jobId: string) => `/import/jobs/${encodeURIComponent(jobId)}`;
  return {
    list: (limit = 50, cursor, allUsers = false) => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (cursor) params.set('cursor', cursor);
      if (allUsers) params.set('all', 'true');
      return http.request(JobListV1, `/import/jobs?${params}`);
    },
    get: (jobId) => http.request(JobDetailV1, job(jobId)),
    cancel: (jobId) => http.request(JobSummaryV1, `${job(jobId)}/cancel`, { method: 'POST' }),
    retry: (jobId) => http.request(JobSummaryV1, `${job(jobId)}/retry`, { method: 'POST' }),
  };
}
