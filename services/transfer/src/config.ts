import { z } from 'zod';
import { loadDbConfig } from '@importer/db';

const port = z.coerce.number().int().min(1).max(65_535);

const TransferEnvSchema = z.object({
  APP_PORT: port.default(3002),
  DAPR_HOST: z.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: port.default(3502),
  DAPR_GRPC_PORT: port.default(50003),
  /** Files transferred at once by this replica, across all batches. */
  TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Attempts at one file before it fails for good. */
  TRANSFER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  GOOGLE_API_KEY: z.string().min(1).optional(),
  GOOGLE_API_ROOT_URL: z.url().default('https://www.googleapis.com/'),
  /** The streaming path talks to S3 directly: where (credentials come from the Dapr secret store). */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().min(1).default('images'),
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type TransferConfig = Readonly<{
  appPort: number;
  daprHost: string;
  daprHttpPort: number;
  daprGrpcPort: number;
  concurrency: number;
  maxAttempts: number;
  google: { apiKey: string; rootUrl: string } | undefined;
  s3: { endpoint: string | undefined; region: string; bucket: string; forcePathStyle: boolean };
  databaseUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}>;

/** Parses the transfer service's settings once; every bad key is reported in one error. */
export function loadTransferConfig(env: NodeJS.ProcessEnv = process.env): TransferConfig {
  const parsed = TransferEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid transfer configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return Object.freeze({
    appPort: e.APP_PORT,
    daprHost: e.DAPR_HOST,
    daprHttpPort: e.DAPR_HTTP_PORT,
    daprGrpcPort: e.DAPR_GRPC_PORT,
    concurrency: e.TRANSFER_CONCURRENCY,
    maxAttempts: e.TRANSFER_MAX_ATTEMPTS,
    google: e.GOOGLE_API_KEY ? { apiKey: e.GOOGLE_API_KEY, rootUrl: e.GOOGLE_API_ROOT_URL } : undefined,
    s3: { endpoint: e.S3_ENDPOINT, region: e.S3_REGION, bucket: e.S3_BUCKET, forcePathStyle: e.S3_FORCE_PATH_STYLE },
    databaseUrl: loadDbConfig(env).databaseUrl,
    logLevel: e.LOG_LEVEL,
  });
}
