import { z } from 'zod';
import { loadDbConfig } from '@importer/db';
import { GoogleEnvSchema, googleSettings, type GoogleSettings } from '@importer/providers';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

const ListerEnvSchema = SidecarEnvSchema.extend(GoogleEnvSchema.shape);

export type ListerConfig = Readonly<{ appPort: number; databaseUrl: string; google: GoogleSettings; sidecar: SidecarSettings }>;

/** Parses the lister's settings once; every bad key is reported in one error. */
export function loadListerConfig(env: NodeJS.ProcessEnv = process.env): ListerConfig {
  const parsed = ListerEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid lister configuration:\n${z.prettifyError(parsed.error)}`);
  return Object.freeze({
    appPort: parsed.data.APP_PORT ?? 3001,
    databaseUrl: loadDbConfig(env).databaseUrl,
    google: googleSettings(parsed.data),
    sidecar: sidecarSettings(parsed.data),
  });
}
