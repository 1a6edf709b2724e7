import type { JobSummary } from '@importer/contracts';

/** How far a job is, at one moment. */
export interface ProgressSample {
  at: number;
  files: number;
  bytes: number;
}

/** Recent speed and what is left; null where it cannot be known yet. */
export interface ProgressEstimate {
  filesPerSecond: number | null;
  bytesPerSecond: number | null;
  secondsLeft: number | null;
}

export const NO_ESTIMATE: ProgressEstimate = Object.freeze({ filesPerSecond: null, bytesPerSecond: null, secondsLeft: null });

/** Files with an outcome: imported, failed or skipped. */
export function filesFinished(job: Pick<JobSummary, 'processed_files' | 'failed_files' | 'skipped_files'>): number {
  return job.processed_files + job.failed_files + job.skipped_files;
}

/** Speed over a sliding window of samples, so one slow batch does not swing the estimate. */
export class ProgressTracker {
  private samples: ProgressSample[] = [];

  constructor(private readonly windowMs = 20_000) {}

  add(sample: ProgressSample): void {
    const last = this.samples.at(-1);
    // A retry starts the counters over; older samples would make the speed negative.
    if (last && (sample.files < last.files || sample.at <= last.at)) this.samples = [];
    this.samples.push(sample);
    while (this.samples.length > 2 && sample.at - (this.samples[0]?.at ?? sample.at) > this.windowMs) this.samples.shift();
  }

  /** `remaining` is the files left, or null while the total is still growing (the source is being listed). */
  estimate(remaining: number | null): ProgressEstimate {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < 1_000) return NO_ESTIMATE;
    const seconds = (last.at - first.at) / 1_000;
    const filesPerSecond = (last.files - first.files) / seconds;
    const bytesPerSecond = (last.bytes - first.bytes) / seconds;
    return {
      filesPerSecond,
      bytesPerSecond,
      secondsLeft: remaining === null ? null : remaining === 0 ? 0 : filesPerSecond > 0 ? remaining / filesPerSecond : null,
    };
  }
}

/** A finished job's average speed, from its start and end times. */
export function averageRate(job: Pick<JobSummary, 'created_at' | 'finished_at' | 'processed_files' | 'bytes'>): ProgressEstimate {
  if (!job.finished_at) return NO_ESTIMATE;
  const seconds = (Date.parse(job.finished_at) - Date.parse(job.created_at)) / 1_000;
  if (!(seconds > 0)) return NO_ESTIMATE;
  return { filesPerSecond: job.processed_files / seconds, bytesPerSecond: job.bytes / seconds, secondsLeft: 0 };
}
