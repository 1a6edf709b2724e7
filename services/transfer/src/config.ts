import { z } from 'zod';
import { loadDbConfig, WorkerEnvSchema, type WorkerSettings, workerSettings } from '@importer/db';
import { refineSourcesEnv, SourcesEnvSchema, sourceSettings, type SourceSettings } from '@importer/providers';
import { S3EnvSchema, s3Settings, type S3Settings, SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

export const TransferEnvSchema = SidecarEnvSchema.extend(SourcesEnvSchema.shape)
  // The streaming path talks to S3 directly (credentials come from the Dapr secret store).
  .extend(S3EnvSchema.shape)
  .extend(WorkerEnvSchema.shape)
  .extend({
  /** Files transferred at once by this replica, across all batches. */
  TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Previews made at once by this replica, apart from the transfers (decoding is CPU work). */
  PREVIEW_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** Attempts at one file before it fails for good. */
  TRANSFER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The longest one download may take, from asking the source to the last byte; then it is aborted and retried. */
  DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(4 * 60_000),
  /** The longest a download's body may send nothing while it is read; then it is aborted and retried. */
  DOWNLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
  /**
   * The longest one delivery of a batch may run; then what is still running is aborted and retried. It stays above
   * DOWNLOAD_TIMEOUT_MS and below daprd's delivery timeout (dapr/resiliency.yaml batchDelivery, deadlines.spec.ts).
   */
  TRANSFER_BATCH_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(5 * 60_000),
  /** The longest one preview may take to render; then its process is replaced and the image keeps no preview. */
  PREVIEW_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  })
  .superRefine(refineSourcesEnv)
  .superRefine((e, ctx) => {
    if (e.DOWNLOAD_IDLE_TIMEOUT_MS > e.DOWNLOAD_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['DOWNLOAD_IDLE_TIMEOUT_MS'], message: `must not be above DOWNLOAD_TIMEOUT_MS (${e.DOWNLOAD_TIMEOUT_MS})` });
    }
    // A download that may outlast its batch would be cut by the batch instead, with a less telling reason.
    if (e.DOWNLOAD_TIMEOUT_MS >= e.TRANSFER_BATCH_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['TRANSFER_BATCH_TIMEOUT_MS'], message: `must be above DOWNLOAD_TIMEOUT_MS (${e.DOWNLOAD_TIMEOUT_MS})` });
    }
  });

export type TransferConfig = Readonly<{
  appPort: number;
  concurrency: number;
  previewConcurrency: number;
  maxAttempts: number;
  /** Every download's total deadline and idle timeout. */
  download: { timeoutMs: number; idleTimeoutMs: number };
  batchTimeoutMs: number;
  previewTimeoutMs: number;
  worker: WorkerSettings;
  s3: S3Settings;
  databaseUrl: string;
  sidecar: SidecarSettings;
} & SourceSettings>;

/** Parses the transfer service's settings once; every bad key is reported in one error. */
export function loadTransferConfig(env: NodeJS.ProcessEnv = process.env): TransferConfig {
  const parsed = TransferEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid transfer configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return Object.freeze({
    appPort: e.APP_PORT ?? 3002,
    concurrency: e.TRANSFER_CONCURRENCY,
    previewConcurrency: e.PREVIEW_CONCURRENCY,
    maxAttempts: e.TRANSFER_MAX_ATTEMPTS,
    download: { timeoutMs: e.DOWNLOAD_TIMEOUT_MS, idleTimeoutMs: e.DOWNLOAD_IDLE_TIMEOUT_MS },
    batchTimeoutMs: e.TRANSFER_BATCH_TIMEOUT_MS,
    previewTimeoutMs: e.PREVIEW_TIMEOUT_MS,
    worker: workerSettings(e, 'transfer'),
    ...sourceSettings(e),
    s3: s3Settings(e),
    databaseUrl: loadDbConfig(env).databaseUrl,
    sidecar: sidecarSettings(e),
  });
}
