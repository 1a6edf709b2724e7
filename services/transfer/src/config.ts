import { z } from 'zod';
import { loadDbConfig } from '@importer/db';
import { DropboxEnvSchema, dropboxSettings, type DropboxSettings, GoogleEnvSchema, googleSettings, type GoogleSettings, refineDropboxEnv, UrlImportEnvSchema, urlImportSettings, type UrlImportSettings } from '@importer/providers';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

const TransferEnvSchema = SidecarEnvSchema.extend(GoogleEnvSchema.shape)
  .extend(DropboxEnvSchema.shape)
  .extend(UrlImportEnvSchema.shape)
  .extend({
  /** Files transferred at once by this replica, across all batches. */
  TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Previews made at once by this replica, apart from the transfers (decoding is CPU work). */
  PREVIEW_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** Attempts at one file before it fails for good. */
  TRANSFER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The streaming path talks to S3 directly (credentials come from the Dapr secret store). */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(1).default('images'),
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  })
  .superRefine(refineDropboxEnv);

export type TransferConfig = Readonly<{
  appPort: number;
  concurrency: number;
  previewConcurrency: number;
  maxAttempts: number;
  google: GoogleSettings;
  dropbox: DropboxSettings;
  urls: UrlImportSettings;
  s3: { endpoint: string | undefined; region: string; bucket: string; forcePathStyle: boolean };
  databaseUrl: string;
  sidecar: SidecarSettings;
}>;

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
    google: googleSettings(e),
    dropbox: dropboxSettings(e),
    urls: urlImportSettings(e),
    s3: { endpoint: e.S3_ENDPOINT, region: e.S3_REGION, bucket: e.S3_BUCKET, forcePathStyle: e.S3_FORCE_PATH_STYLE },
    databaseUrl: loadDbConfig(env).databaseUrl,
    sidecar: sidecarSettings(e),
  });
}
