import { z } from 'zod';

/** A file's state in a job: imported, failed (with why), skipped (with why), or still pending. */
export const FileStatusSchema = z.enum(['pending', 'done', 'failed', 'skipped']);

/** `GET /import/jobs/{job_id}/files` query: every file (or one status) in the order found, a page at a time. */
export const JobFilesQueryV1 = z.object({
  status: FileStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The last file's position in the ledger: a positive 64-bit integer, at most 18 digits so it stays one. */
  cursor: z.string().regex(/^[1-9]\d{0,17}$/, 'cursor is not one this API handed out').optional(),
});

/** One file of a job (for a URL list, one URL: `path` is the URL) with its outcome. */
export const JobFileV1 = z.object({
  source_file_id: z.string(),
  name: z.string(),
  path: z.string(),
  status: FileStatusSchema,
  /** Why it failed or was skipped (`http_404: …`, `blocked_address: …`, `not_an_image: …`, `invalid_url`); null when imported. */
  reason: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  /** The gallery image it became. */
  image_id: z.uuid().nullable(),
});

export const JobFilesV1 = z.object({
  files: z.array(JobFileV1),
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: z.string().nullable(),
});

export type JobFilesQuery = z.infer<typeof JobFilesQueryV1>;
export type JobFile = z.infer<typeof JobFileV1>;
export type JobFiles = z.infer<typeof JobFilesV1>;
