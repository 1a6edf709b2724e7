import { type JobDetail, JobDetailV1, type JobList, JobListV1, type JobSummary, JobSummaryV1 } from '@importer/contracts';
import type { HttpClient } from './http-client.js';

export interface JobsApi {
  /** Newest first; `cursor` continues after the last job of a previous page. */
  list(limit?: number, cursor?: string): Promise<JobList>;
  get(jobId: string): Promise<JobDetail>;
  cancel(jobId: string): Promise<JobSummary>;
  retry(jobId: string): Promise<JobSummary>;
}

export function jobsApi(http: HttpClient): JobsApi {
  const job = (jobId: string) => `/import/jobs/${encodeURIComponent(jobId)}`;
  return {
    list: (limit = 50, cursor) => http.request(JobListV1, `/import/jobs?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    get: (jobId) => http.request(JobDetailV1, job(jobId)),
    cancel: (jobId) => http.request(JobSummaryV1, `${job(jobId)}/cancel`, { method: 'POST' }),
    retry: (jobId) => http.request(JobSummaryV1, `${job(jobId)}/retry`, { method: 'POST' }),
  };
}
