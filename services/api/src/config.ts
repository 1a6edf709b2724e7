import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { type SignUpPolicy, SignUpPolicySchema, type SourceKind } from '@importer/contracts';
import { loadDbConfig } from '@importer/db';
import { refineSourcesEnv, SourcesEnvSchema, sourceSettings, type SourceSettings } from '@importer/providers';
import { S3EnvSchema, s3Settings, type S3Settings, SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';
import { OidcEnvSchema, oidcSettings, refineOidcEnv } from './accounts/oidc/oidc-settings.js';
import type { OidcSettings } from './accounts/oidc/oidc-sign-in.js';
import { SourceRatesEnvSchema, sourceRates } from './imports/source-rates.js';

export const ApiEnvSchema = SidecarEnvSchema.extend(SourcesEnvSchema.shape)
  .extend(S3EnvSchema.shape)
  .extend(SourceRatesEnvSchema.shape)
  .extend(OidcEnvSchema.shape)
  .extend({
  /** The port express listens on, when not handed over as APP_PORT by `dapr run` or the test harness. */
  API_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** How often each running job's watchdog checks it, and after how long without progress it re-sends work. */
  WATCHDOG_PERIOD_MS: z.coerce.number().int().min(1_000).default(30_000),
  WATCHDOG_STALL_AFTER_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** How often the ledger is asked for expired leases (work a dead replica held, retries now due) to send again. */
  LEASE_REAP_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  /** Completion webhooks: the first retry waits this long, each next one twice as long, up to the max; attempts in all. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(100).default(600_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Image and preview downloads streaming at once from this replica; past it, 429 with Retry-After. */
  IMAGE_READS_MAX: z.coerce.number().int().min(1).max(1024).default(16),
  /** How long a sign-in session lasts after its last use (each use moves the expiry): 14 days. */
  SESSION_TTL_MS: z.coerce.number().int().min(60_000).default(1_209_600_000),
  /** Who may create an account: `closed` (an administrator adds people) or `open` (anyone, within the quotas). */
  SIGN_UP: SignUpPolicySchema.default('closed'),
  /** The first administrator, for headless setups: used only while no user exists. ADMIN_PASSWORD_FILE is read when ADMIN_PASSWORD is unset. */
  ADMIN_EMAIL: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  ADMIN_PASSWORD_FILE: z.string().min(1).optional(),
  /** The Redis every api replica counts sign-in and sign-up attempts in. */
  RATE_LIMIT_REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  RATE_LIMIT_REDIS_PASSWORD: z.string().min(1).optional(),
  /** Starts every counter's key: deployments (or test runs) sharing one Redis keep apart by it. */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).max(200).default('importer:rate:'),
  /** Wrong passwords one client address may send per 15 minutes; accounts it may create (setup, sign-up) per hour. */
  SIGN_IN_FAILURES_PER_15_MIN: z.coerce.number().int().min(1).default(10),
  SIGN_UPS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Each user's quotas (0: none): imports running at once, files per import, bytes of images stored. */
  QUOTA_ACTIVE_JOBS: z.coerce.number().int().min(0).default(5),
  QUOTA_FILES_PER_JOB: z.coerce.number().int().min(0).default(100_000),
  QUOTA_STORED_BYTES: z.coerce.number().int().min(0).default(50 * 1024 ** 3),
  })
  .superRefine(refineSourcesEnv)
  .superRefine(refineOidcEnv)
  .superRefine((e, ctx) => {
    if (e.ADMIN_EMAIL && !e.ADMIN_PASSWORD && !e.ADMIN_PASSWORD_FILE) ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'ADMIN_EMAIL needs ADMIN_PASSWORD or ADMIN_PASSWORD_FILE' });
  });

export interface ApiConfig extends Readonly<SourceSettings> {
  readonly port: number;
  readonly databaseUrl: string;
  /** Each source's requests per second for the whole deployment, by kind. */
  readonly requestsPerSecond: Readonly<Record<SourceKind, number>>;
  readonly watchdog: { periodMs: number; stallAfterMs: number };
  readonly leaseReapIntervalMs: number;
  readonly webhookRetry: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  readonly s3: S3Settings;
  readonly imageReadsMax: number;
  readonly accounts: {
    sessionTtlMs: number;
    signUp: SignUpPolicy;
    /** The administrator to create at startup while there is no user. */
    firstAdmin: { email: string; password: string } | null;
    rateLimitRedis: { url: string; password?: string };
    rateLimitKeyPrefix: string;
    signInFailuresPer15Min: number;
    signUpsPerHour: number;
  };
  /** Single sign-on, when OIDC_ISSUER_URL is set. */
  readonly oidc: OidcSettings | null;
  readonly quotas: { maxActiveJobs: number; maxFilesPerJob: number; maxStoredBytes: number };
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
    leaseReapIntervalMs: e.LEASE_REAP_INTERVAL_MS,
    webhookRetry: { baseDelayMs: e.WEBHOOK_RETRY_BASE_MS, maxDelayMs: e.WEBHOOK_RETRY_MAX_MS, maxAttempts: e.WEBHOOK_MAX_ATTEMPTS },
    s3: s3Settings(e),
    imageReadsMax: e.IMAGE_READS_MAX,
    accounts: {
      sessionTtlMs: e.SESSION_TTL_MS,
      signUp: e.SIGN_UP,
      firstAdmin: e.ADMIN_EMAIL ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD ?? readFileSync(e.ADMIN_PASSWORD_FILE ?? '', 'utf8').trim() } : null,
      rateLimitKeyPrefix: e.RATE_LIMIT_KEY_PREFIX,
      rateLimitRedis: { url: e.RATE_LIMIT_REDIS_URL, ...(e.RATE_LIMIT_REDIS_PASSWORD ? { password: e.RATE_LIMIT_REDIS_PASSWORD } : {}) },
      signInFailuresPer15Min: e.SIGN_IN_FAILURES_PER_15_MIN,
      signUpsPerHour: e.SIGN_UPS_PER_HOUR,
    },
    oidc: oidcSettings(e),
    quotas: { maxActiveJobs: e.QUOTA_ACTIVE_JOBS, maxFilesPerJob: e.QUOTA_FILES_PER_JOB, maxStoredBytes: e.QUOTA_STORED_BYTES },
    sidecar: sidecarSettings(e),
  });
}
