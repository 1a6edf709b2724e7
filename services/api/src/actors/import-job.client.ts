import { type BatchDone, IMPORT_JOB_ACTOR, type ImportJobMethod, type ListingFailed, type ListingProgress, type StartJob } from '@importer/contracts';
import type { ActorInvoker } from '@importer/sidecar';
import type { z } from 'zod';
import { type CommandOutcome, CommandOutcomeSchema, JobStateAnswer } from './import-job.answers.js';
import { type JobState, JobStateSchema } from './import-job.state.js';

/** Typed calls to ImportJob actors through the sidecar; every answer is parsed, so a changed actor fails here, loudly. */
export class ImportJobClient {
  constructor(private readonly actors: Pick<ActorInvoker, 'invoke'>) {}

  start(spec: StartJob): Promise<JobState> {
    return this.call(JobStateSchema, spec.jobId, 'start', spec);
  }

  listingProgress(event: ListingProgress): Promise<JobState | undefined> {
    return this.call(JobStateAnswer, event.jobId, 'listingProgress', event);
  }

  batchDone(event: BatchDone): Promise<JobState | undefined> {
    return this.call(JobStateAnswer, event.jobId, 'batchDone', event);
  }

  listingFailed(event: ListingFailed): Promise<JobState | undefined> {
    return this.call(JobStateAnswer, event.jobId, 'listingFailed', event);
  }

  cancel(jobId: string): Promise<CommandOutcome> {
    return this.call(CommandOutcomeSchema, jobId, 'cancel');
  }

  retryFailed(jobId: string): Promise<CommandOutcome> {
    return this.call(CommandOutcomeSchema, jobId, 'retryFailed');
  }

  get(jobId: string): Promise<JobState | undefined> {
    return this.call(JobStateAnswer, jobId, 'get');
  }

  private async call<S extends z.ZodType>(answer: S, jobId: string, method: ImportJobMethod, argument?: unknown): Promise<z.infer<S>> {
    const raw = await this.actors.invoke<unknown>(IMPORT_JOB_ACTOR, jobId, method, argument);
    const parsed = answer.safeParse(raw);
    if (!parsed.success) throw new Error(`ImportJob.${method} for ${jobId} answered what its schema refuses: ${parsed.error.message}`);
    return parsed.data;
  }
}
