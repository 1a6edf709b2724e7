import { setTimeout as sleep } from 'node:timers/promises';
import { ENDED_STATUSES, type JobDetail, JobDetailV1 } from '@importer/contracts';

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The public API as a user's script drives it. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async post(path: string, body?: unknown): Promise<HttpAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async get(path: string): Promise<HttpAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async job(jobId: string): Promise<JobDetail> {
    const answer = await this.get(`/import/jobs/${jobId}`);
    if (answer.status !== 200) throw new Error(`GET job ${jobId}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return JobDetailV1.parse(answer.body);
  }

  /** Polls the job until `done` says so, or fails with the job as it last was. */
  async waitForJob(jobId: string, done: (job: JobDetail) => boolean, timeoutMs = 180_000): Promise<JobDetail> {
    const deadline = Date.now() + timeoutMs;
    let job = await this.job(jobId);
    while (!done(job)) {
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not get there in ${timeoutMs} ms; last seen: ${JSON.stringify(job)}`);
      await sleep(250);
      job = await this.job(jobId);
    }
    return job;
  }
}

/** The statuses a job ends in: the contracts' set, under the name the e2e tests wait with (`ENDED.has(job.status)`). */
export const ENDED = ENDED_STATUSES;
