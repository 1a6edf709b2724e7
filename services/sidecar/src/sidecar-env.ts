import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65_535);
const token = (name: string) => z.string({ error: `${name} is required: the launcher, Compose and Kubernetes set it for the app and its sidecar` }).min(16, `${name} must be at least 16 characters`);

/** The environment every app beside a sidecar reads (set by the launcher, the test harness, Compose and Kubernetes). */
export const SidecarEnvSchema = z.object({
  APP_PORT: port.optional(),
  /** Where the app listens: loopback (only its sidecar reaches it) unless a container or pod needs probes and scrapes from outside. */
  APP_HOST: z.string().min(1).default('127.0.0.1'),
  DAPR_HOST: z.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: port.default(3500),
  DAPR_GRPC_PORT: port.default(50001),
  /** The app sends it to its sidecar (`dapr-api-token`); the sidecar's API answers nothing without it. */
  DAPR_API_TOKEN: token('DAPR_API_TOKEN'),
  /** The sidecar sends it to the app on every call; the app's internal routes (actors, subscriptions) answer nobody else. */
  APP_API_TOKEN: token('APP_API_TOKEN'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export interface SidecarSettings {
  readonly appHost: string;
  readonly daprHost: string;
  readonly daprHttpPort: number;
  readonly daprGrpcPort: number;
  readonly sidecarUrl: string;
  readonly daprApiToken: string;
  readonly appApiToken: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function sidecarSettings(e: z.infer<typeof SidecarEnvSchema>): SidecarSettings {
  return {
    appHost: e.APP_HOST,
    daprHost: e.DAPR_HOST,
    daprHttpPort: e.DAPR_HTTP_PORT,
    daprGrpcPort: e.DAPR_GRPC_PORT,
    sidecarUrl: `http://${e.DAPR_HOST}:${e.DAPR_HTTP_PORT}`,
    daprApiToken: e.DAPR_API_TOKEN,
    appApiToken: e.APP_API_TOKEN,
    logLevel: e.LOG_LEVEL,
  };
}
