import { resolve } from 'node:path';
import { z } from 'zod';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

const port = z.coerce.number().int().min(1).max(65_535);

export const WebEnvSchema = SidecarEnvSchema.extend({
  WEB_PORT: port.optional(),
  /** The Vite build of `web/`; relative paths resolve from the working directory (the run file starts the app in its package). */
  WEB_DIST_DIR: z.string().min(1).default('../../web/dist'),
  /**
   * Which proxies in front of the gateway are believed about the client's address (X-Forwarded-For), in express's
   * `trust proxy` syntax: loopback locally; the ingress's addresses (e.g. `10.0.0.0/8`) on Kubernetes.
   */
  TRUST_PROXY: z.string().trim().min(1).default('loopback'),
});

export type WebGatewayConfig = Readonly<{ host: string; port: number; staticDir: string; trustProxy: string; sidecar: SidecarSettings }>;

/** Parses the gateway's settings once; every bad key is reported in one error. */
export function loadWebGatewayConfig(env: NodeJS.ProcessEnv = process.env): WebGatewayConfig {
  const parsed = WebEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid web gateway configuration:\n${z.prettifyError(parsed.error)}`);
  return Object.freeze({
    // The public door binds like every app: loopback for npm start, 0.0.0.0 (APP_HOST) in a container behind an ingress.
    host: parsed.data.APP_HOST,
    port: parsed.data.APP_PORT ?? parsed.data.WEB_PORT ?? 8080,
    staticDir: resolve(parsed.data.WEB_DIST_DIR),
    trustProxy: parsed.data.TRUST_PROXY,
    sidecar: sidecarSettings(parsed.data),
  });
}
