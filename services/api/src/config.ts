import { z } from 'zod';
import { loadDbConfig } from '@importer/db';

const port = z.coerce.number().int().min(1).max(65_535);

const ApiEnvSchema = z.object({
  /** The port express listens on; `dapr run` and the test harness hand it over as APP_PORT. */
  API_PORT: port.optional(),
  APP_PORT: port.optional(),
  DAPR_HOST: z.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: port.default(3500),
  DAPR_GRPC_PORT: port.default(50001),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export interface ApiConfig {
  readonly port: number;
  readonly daprHost: string;
  readonly daprHttpPort: number;
  readonly daprGrpcPort: number;
  readonly databaseUrl: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Parses the API's settings once; every bad key is reported in one error. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = ApiEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid API configuration:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return Object.freeze({
    port: e.API_PORT ?? e.APP_PORT ?? 3000,
    daprHost: e.DAPR_HOST,
    daprHttpPort: e.DAPR_HTTP_PORT,
    daprGrpcPort: e.DAPR_GRPC_PORT,
    databaseUrl: loadDbConfig(env).databaseUrl,
    logLevel: e.LOG_LEVEL,
  });
}
