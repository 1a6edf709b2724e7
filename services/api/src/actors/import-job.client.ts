import { type BatchDone, IMPORT_JOB_ACTOR, type ListingFailed, type ListingProgress, type StartJob } from '@importer/contracts';
import type { ActorInvoker } from '@importer/sidecar';
import type { CommandOutcome } from './import-job.actor.js';
import type { JobState } from './import-job.state.js';

/** Typed calls to ImportJob actors through the sidecar. */
export class ImportJobClient {
  constructor(private readonly actors: ActorInvoker) {}

  async start(spec: StartJob): Promise<JobState> {
    const state = await this.actors.invoke<JobState>(IMPORT_JOB_ACTOR, spec.jobId, 'start', spec);
    if (!state) throw new Error(`ImportJob.start for ${spec.jobId} answered nothing`);
    return state;
  }

  listingProgress(event: ListingProgress): Promise<JobState | undefined> {
    return this.actors.invoke(IMPORT_JOB_ACTOR, event.jobId, 'listingProgress', event);
  }

  batchDone(event: BatchDone): Promise<JobState | undefined> {
    return this.actors.invoke(IMPORT_JOB_ACTOR, event.jobId, 'batchDone', event);
  }

  listingFailed(event: ListingFailed): Promise<JobState | undefined> {
    return this.actors.invoke(IMPORT_JOB_ACTOR, event.jobId, 'listingFailed', event);
  }

  cancel(jobId: string): Promise<CommandOutcome> {
    return this.command(jobId, 'cancel');
  }

  retryFailed(jobId: string): Promise<CommandOutcome> {
    return this.command(jobId, 'retryFailed');
  }

  get(jobId: string): Promise<JobState | undefined> {
    return this.actors.invoke(IMPORT_JOB_ACTOR, jobId, 'get');
  }

  private async command(jobId: string, method: string): Promise<CommandOutcome> {
    const outcome = await this.actors.invoke<CommandOutcome>(IMPORT_JOB_ACTOR, jobId, method);
    if (!outcome) throw new Error(`ImportJob.${method} for ${jobId} answered nothing`);
    return outcome;
  }
}
