import { type BatchDone, IMPORT_JOB_ACTOR, type ListingFailed, type ListingProgress, type StartJob } from '@importer/contracts';
import type { CommandOutcome } from './import-job.actor.js';
import type { JobState } from './import-job.state.js';

export class ActorCallError extends Error {
  override readonly name = 'ActorCallError';
  constructor(readonly method: string, readonly status: number, detail: string) {
    super(`ImportJob.${method} failed with HTTP ${status}: ${detail.slice(0, 500)}`);
  }
}

/**
 * Calls ImportJob actors through the sidecar's actor API. A plain typed client instead of the SDK's proxy,
 * which turns `await` on itself into a call of a method named `then`.
 */
export class ImportJobClient {
  constructor(private readonly sidecarUrl: string) {}

  start(spec: StartJob): Promise<JobState> {
    return this.invoke<JobState>(spec.jobId, 'start', spec) as Promise<JobState>;
  }

  listingProgress(event: ListingProgress): Promise<JobState | undefined> {
    return this.invoke(event.jobId, 'listingProgress', event);
  }

  batchDone(event: BatchDone): Promise<JobState | undefined> {
    return this.invoke(event.jobId, 'batchDone', event);
  }

  listingFailed(event: ListingFailed): Promise<JobState | undefined> {
    return this.invoke(event.jobId, 'listingFailed', event);
  }

  cancel(jobId: string): Promise<CommandOutcome> {
    return this.invoke<CommandOutcome>(jobId, 'cancel') as Promise<CommandOutcome>;
  }

  retryFailed(jobId: string): Promise<CommandOutcome> {
    return this.invoke<CommandOutcome>(jobId, 'retryFailed') as Promise<CommandOutcome>;
  }

  get(jobId: string): Promise<JobState | undefined> {
    return this.invoke(jobId, 'get');
  }

  private async invoke<T>(jobId: string, method: string, argument?: unknown): Promise<T | undefined> {
    const url = `${this.sidecarUrl}/v1.0/actors/${IMPORT_JOB_ACTOR}/${encodeURIComponent(jobId)}/method/${method}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(argument === undefined ? [] : [argument]),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new ActorCallError(method, response.status, text);
    return text ? (JSON.parse(text) as T) : undefined;
  }
}
