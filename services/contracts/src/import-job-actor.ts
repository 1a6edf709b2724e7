import { z } from 'zod';
import { FolderRefSchema, SourceKindSchema } from './source-file.js';

/** The actor type: the class name of the actor `api` hosts (never minified). */
export const IMPORT_JOB_ACTOR = 'ImportJob';

/** `ImportJob.start`: everything the job needs to run, checked by the API before the actor sees it. */
export const StartJobV1 = z.object({
  jobId: z.uuid(),
  /** The user the job, its ledger rows and its images belong to. */
  ownerId: z.uuid(),
  source: SourceKindSchema,
  folderUrl: z.string().nullable(),
  root: FolderRefSchema,
  /** List subfolders too (the default), or only the root folder. */
  recursive: z.boolean(),
  webhookUrl: z.url().nullable(),
  /** The owner's quota of files per job: past it, the job fails with that reason. Null: no limit. */
  maxFiles: z.number().int().min(1).nullable().default(null),
});
export type StartJob = z.infer<typeof StartJobV1>;

/** The ImportJob methods callable through the actor API; anything else on the class answers 404. */
export const IMPORT_JOB_METHODS = ['start', 'listingProgress', 'batchDone', 'listingFailed', 'cancel', 'retryFailed', 'get'] as const;
export type ImportJobMethod = (typeof IMPORT_JOB_METHODS)[number];
