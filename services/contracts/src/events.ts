import { z } from 'zod';
import { JobTotalsSchema } from './import-job.js';
import { FolderRefSchema, SourceFileSchema, SourceKindSchema } from './source-file.js';
import { defineTopic } from './topic.js';

/** Files per `files-found` message: small enough for one transfer replica to finish well within the delivery timeout. */
export const FILES_PER_BATCH = 50;

/** Files cut into `files-found` batches, in order: the one place a batch's size is applied. */
export function fileBatches<T>(files: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < files.length; i += FILES_PER_BATCH) out.push(files.slice(i, i + FILES_PER_BATCH));
  return out;
}

const count = z.number().int().nonnegative();

/** List one page of one folder of a job. */
export const ListRequestedV1 = z.object({
  jobId: z.uuid(),
  source: SourceKindSchema,
  folder: FolderRefSchema,
  /** The page to list; null for the folder's first page. */
  cursor: z.string().nullable(),
  /** Whether subfolders are listed too. */
  recursive: z.boolean(),
});
export const listRequestedTopic = defineTopic('list-requested', ListRequestedV1);

/** A batch of files, new to the job's ledger, to transfer. */
export const FilesFoundV1 = z.object({
  jobId: z.uuid(),
  source: SourceKindSchema,
  files: z.array(SourceFileSchema).min(1).max(FILES_PER_BATCH),
});
export const filesFoundTopic = defineTopic('files-found', FilesFoundV1);

/** What one listed page added, counted by the ImportJob actor: each count is added to the job's counter of the same name. */
export const ListingProgressV1 = JobTotalsSchema.pick({ totalFiles: true, skippedFiles: true }).extend({
  jobId: z.uuid(),
  /** Subfolders new to the ledger, each still to be listed. */
  newFolders: count,
  /** The listed folder has no further page. */
  folderDone: z.boolean(),
});
export const listingProgressTopic = defineTopic('listing-progress', ListingProgressV1);

/**
 * The outcome of one `files-found` batch: the files that reached a final state in this delivery, each count added to
 * the job's counter of the same name.
 */
export const BatchDoneV1 = JobTotalsSchema.omit({ totalFiles: true }).extend({ jobId: z.uuid() });
export const batchDoneTopic = defineTopic('batch-done', BatchDoneV1);

/** Listing cannot go on at all (the API key refused, the root folder gone): the job fails with the reason. */
export const ListingFailedV1 = z.object({ jobId: z.uuid(), reason: z.string() });
export const listingFailedTopic = defineTopic('listing-failed', ListingFailedV1);

export type ListRequested = z.infer<typeof ListRequestedV1>;
export type FilesFound = z.infer<typeof FilesFoundV1>;
export type ListingProgress = z.infer<typeof ListingProgressV1>;
export type BatchDone = z.infer<typeof BatchDoneV1>;
export type ListingFailed = z.infer<typeof ListingFailedV1>;
