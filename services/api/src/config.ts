import { z } from 'zod';
import { loadDbConfig } from '@importer/db';
import { GoogleEnvSchema, googleSettings, type GoogleSettings } from '@importer/providers';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

const ApiEnvSchema = SidecarEnvSchema.extend(GoogleEnvSchema.shape).extend({
  /** The port express listens on, when not handed over as APP_PORT by `dapr run` or the test harness. */
  API_PORT: z.coerce.number().int().min(1).max(65_535).optional(),  /** Drive requests per second for the whole deployment, shared by every replica (Drive allows about 200). */
  GOOGLE_REQUESTS_PER_SECOND: z.coerce.number().positive().default(150),
  /** How often each running job's watchdog checks it, and after how long without progress it re-sends work. */
  WATCHDOG_PERIOD_MS: z.coerce.number().int().min(1_000).default(30_000),
  WATCHDOG_STALL_AFTER_MS: z.coerce.number().int().min(1_000).default(300_000),
});

export interface ApiConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly google: GoogleSettings;
  readonly googleRequestsPerSecond: number;
  readonly watchdog: { periodMs: number; stallAfterMs: number };
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
    google: googleSettings(e),
    googleRequestsPerSecond: e.GOOGLE_REQUESTS_PER_SECOND,
    watchdog: { periodMs: e.WATCHDOG_PERIOD_MS, stallAfterMs: e.WATCHDOG_STALL_AFTER_MS },
    sidecar: sidecarSettings(e),
  });
}
