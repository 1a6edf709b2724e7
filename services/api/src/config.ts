import { z } from 'zod';
import type { SourceKind } from '@importer/contracts';
import { loadDbConfig } from '@importer/db';
import { refineSourcesEnv, SourcesEnvSchema, sourceSettings, type SourceSettings } from '@importer/providers';
import { S3EnvSchema, s3Settings, type S3Settings, SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';
import { SourceRatesEnvSchema, sourceRates } from './imports/source-rates.js';

export const ApiEnvSchema = SidecarEnvSchema.extend(SourcesEnvSchema.shape)
  .extend(S3EnvSchema.shape)
  .extend(SourceRatesEnvSchema.shape)
  .extend({
  /** The port express listens on, when not handed over as APP_PORT by `dapr run` or the test harness. */
  API_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** How often each running job's watchdog checks it, and after how long without progress it re-sends work. */
  WATCHDOG_PERIOD_MS: z.coerce.number().int().min(1_000).default(30_000),
  WATCHDOG_STALL_AFTER_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** Completion webhooks: the first retry waits this long, each next one twice as long, up to the max; attempts in all. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(100).default(600_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Image and preview downloads streaming at once from this replica; past it, 429 with Retry-After. */
  IMAGE_READS_MAX: z.coerce.number().int().min(1).max(1024).default(16),
  /** How long a sign-in session lasts after its last use (each use moves the expiry): 14 days. */
  SESSION_TTL_MS: z.coerce.number().int().min(60_000).default(1_209_600_000),
  })
  .superRefine(refineSourcesEnv);

export interface ApiConfig extends Readonly<SourceSettings> {
  readonly port: number;
  readonly databaseUrl: string;
  /** Each source's requests per second for the whole deployment, by kind. */
  readonly requestsPerSecond: Readonly<Record<SourceKind, number>>;
  readonly watchdog: { periodMs: number; stallAfterMs: number };
  readonly webhookRetry: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  readonly s3: S3Settings;
  readonly imageReadsMax: number;
  readonly accounts: { sessionTtlMs: number };
  readonly sidecar: SidecarSettings;
}

/** Parses the API's settings once; every bad key is reported in one error. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = ApiEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid API configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return Object.freeze({
    port: e.API_PORT ?? e.APP_PORT ?? 3000,
    databaseUrl: loadDbConfig(env).databaseUrl,
    ...sourceSettings(e),
    requestsPerSecond: sourceRates(e),
    watchdog: { periodMs: e.WATCHDOG_PERIOD_MS, stallAfterMs: e.WATCHDOG_STALL_AFTER_MS },
    webhookRetry: { baseDelayMs: e.WEBHOOK_RETRY_BASE_MS, maxDelayMs: e.WEBHOOK_RETRY_MAX_MS, maxAttempts: e.WEBHOOK_MAX_ATTEMPTS },
    s3: s3Settings(e),
    imageReadsMax: e.IMAGE_READS_MAX,
    accounts: { sessionTtlMs: e.SESSION_TTL_MS },
    sidecar: sidecarSettings(e),
  });
}
