import { z } from 'zod';
import { JobStatusSchema } from './import-job.js';
import { SourceKindSchema } from './source-file.js';

/** Longest folder or webhook link taken: real ones stay well under 500 characters, and each is stored and served back. */
export const MAX_LINK_LENGTH = 2048;

/** A job's completion webhook: an http(s) URL of at most MAX_LINK_LENGTH characters. */
export const WebhookUrlSchema = z
  .string()
  .max(MAX_LINK_LENGTH, `webhook_url is longer than ${MAX_LINK_LENGTH} characters`)
  .pipe(z.url({ protocol: /^https?$/, message: 'webhook_url must be an http or https URL' }));

/** `POST /import/google-drive` and `POST /import/dropbox`. */
export const ImportFolderRequestV1 = z.object({
  /** The folder link as the person copied it from the browser. */
  folder_url: z.string().max(MAX_LINK_LENGTH, `folder_url is longer than ${MAX_LINK_LENGTH} characters; copy the folder's link again`).trim().min(1, 'folder_url is required'),
  /** List subfolders too; true when left out. */
  recursive: z.boolean().default(true),
  /** Called once with the job's summary when it ends. */
  webhook_url: WebhookUrlSchema.optional(),
});

/** The 202 of an import: the new job. */
export const ImportAcceptedV1 = z.object({
  job_id: z.uuid(),
  status: JobStatusSchema,
  message: z.string(),
  /**
   * Only when the import has a `webhook_url`: the owner's Standard Webhooks secret (`whsec_…`) that verifies the
   * deliveries of all their jobs; also at `GET /account/webhook-secret`, and rotated there.
   */
  webhook_secret: z.string().startsWith('whsec_').optional(),
});

/** One file that failed, and why. */
export const FileErrorV1 = z.object({
  source_file_id: z.string(),
  name: z.string(),
  path: z.string(),
  reason: z.string(),
});

export const JobSummaryV1 = z.object({
  job_id: z.uuid(),
  status: JobStatusSchema,
  source: SourceKindSchema,
  folder_url: z.string().nullable(),
  total_files: z.number().int(),
  processed_files: z.number().int(),
  failed_files: z.number().int(),
  skipped_files: z.number().int(),
  bytes: z.number().int(),
  /** Files with an outcome (processed, failed or skipped) out of those found; 0 until listing finds any. */
  progress_percent: z.number().min(0).max(100),
  /** Why the whole job failed. */
  error: z.string().nullable(),
  created_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
});

/** `GET /import/jobs/{job_id}`: the summary and the first failed files with their reasons. */
export const JobDetailV1 = JobSummaryV1.extend({ errors: z.array(FileErrorV1) });

/** `GET /import/jobs`: newest first. */
export const JobListV1 = z.object({ jobs: z.array(JobSummaryV1), next_cursor: z.string().nullable() });

/** `GET /import/jobs` query: newest first, a page at a time. */
export const JobListQueryV1 = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
  /** Administrators: every user's jobs, not only their own (ignored for anyone else). */
  all: z.stringbool().default(false),
});
export type JobListQuery = z.infer<typeof JobListQueryV1>;

/** Every 4xx and 5xx answer. */
export const ErrorResponseV1 = z.object({
  error: z.object({
    /** Stable, for programs: `invalid_request`, `not_a_folder_link`, `folder_not_found`, `job_not_found`, `conflict`. */
    code: z.string(),
    /** For people: what was wrong and what to do. */
    message: z.string(),
  }),
});

export type ImportFolderRequest = z.infer<typeof ImportFolderRequestV1>;
export type ImportAccepted = z.infer<typeof ImportAcceptedV1>;
export type JobSummary = z.infer<typeof JobSummaryV1>;
export type JobDetail = z.infer<typeof JobDetailV1>;
export type FileError = z.infer<typeof FileErrorV1>;
export type JobList = z.infer<typeof JobListV1>;
export type ErrorResponse = z.infer<typeof ErrorResponseV1>;

/** One imported image, as `GET /images` and `GET /images/{id}` give it. */
export const ImageV1 = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The Drive file id (the assignment's field); null for other sources. */
  google_drive_id: z.string().nullable(),
  source: SourceKindSchema,
  source_file_id: z.string(),
  size: z.number().int(),
  mime_type: z.string(),
  /** Object key in the bucket. */
  storage_path: z.string(),
  /** Where a browser opens the image (served so that an SVG cannot run script in the app's origin). */
  url: z.string(),
  thumbnail_url: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  job_id: z.uuid().nullable(),
  created_at: z.iso.datetime(),
});

/** `GET /images` query: keyset pages through `cursor`, or numbered pages through `page`. */
export const ImageListQueryV1 = z.object({
  source: SourceKindSchema.optional(),
  job_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

export const ImageListV1 = z.object({
  images: z.array(ImageV1),
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: z.string().nullable(),
  /** Images matching the filters. */
  total: z.number().int(),
});

export type Image = z.infer<typeof ImageV1>;
export type ImageListQuery = z.infer<typeof ImageListQueryV1>;
export type ImageList = z.infer<typeof ImageListV1>;
