import { z } from 'zod';
import { JobStateSchema } from './import-job.state.js';

/** What `listingProgress`, `batchDone`, `listingFailed` and `get` answer: the job, or nothing when there is none. */
export const JobStateAnswer = JobStateSchema.optional();

/** What `cancel` and `retryFailed` answer: `conflict` when the job's status does not allow the command, with why. */
export const CommandOutcomeSchema = z.object({
  outcome: z.enum(['accepted', 'conflict']),
  message: z.string(),
  job: JobStateSchema,
});
export type CommandOutcome = z.infer<typeof CommandOutcomeSchema>;
