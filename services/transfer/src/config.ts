import { z } from 'zod';
import { loadDbConfig } from '@importer/db';
import { GoogleEnvSchema, googleSettings, type GoogleSettings } from '@importer/providers';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

const TransferEnvSchema = SidecarEnvSchema.extend(GoogleEnvSchema.shape).extend({
  /** Files transferred at once by this replica, across all batches. */
  TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Attempts at one file before it fails for good. */
  TRANSFER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The streaming path talks to S3 directly (credentials come from the Dapr secret store). */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(1).default('images'),
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
});

export type TransferConfig = Readonly<{
  appPort: number;
  concurrency: number;
  maxAttempts: number;
  google: GoogleSettings;
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
    maxAttempts: e.TRANSFER_MAX_ATTEMPTS,
    google: googleSettings(e),
    s3: { endpoint: e.S3_ENDPOINT, region: e.S3_REGION, bucket: e.S3_BUCKET, forcePathStyle: e.S3_FORCE_PATH_STYLE },
    databaseUrl: loadDbConfig(env).databaseUrl,
    sidecar: sidecarSettings(e),
  });
}
