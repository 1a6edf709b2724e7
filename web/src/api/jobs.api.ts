import { type JobDetail, JobDetailV1, type JobList, JobListV1, type JobSummary, JobSummaryV1 } from '@importer/contracts';
import type { HttpClient } from './http-client.js';

export interface JobsApi {
  list(limit?: number): Promise<JobList>;
  get(jobId: string): Promise<JobDetail>;
  cancel(jobId: string): Promise<JobSummary>;
  retry(jobId: string): Promise<JobSummary>;
}

export function jobsApi(http: HttpClient): JobsApi {
  const job = (jobId: string) => `/import/jobs/${encodeURIComponent(jobId)}`;
  return {
    list: (limit = 50) => http.request(JobListV1, `/import/jobs?limit=${limit}`),
    get: (jobId) => http.request(JobDetailV1, job(jobId)),
    cancel: (jobId) => http.request(JobSummaryV1, `${job(jobId)}/cancel`, { method: 'POST' }),
    retry: (jobId) => http.request(JobSummaryV1, `${job(jobId)}/retry`, { method: 'POST' }),
  };
}
