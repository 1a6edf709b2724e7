import { z } from 'zod';
import { loadDbConfig } from '@importer/db';
import { DropboxEnvSchema, dropboxSettings, type DropboxSettings, GoogleEnvSchema, googleSettings, type GoogleSettings, refineDropboxEnv, UrlImportEnvSchema, urlImportSettings, type UrlImportSettings } from '@importer/providers';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

export const ListerEnvSchema = SidecarEnvSchema.extend(GoogleEnvSchema.shape).extend(DropboxEnvSchema.shape)
  .extend(UrlImportEnvSchema.shape).superRefine(refineDropboxEnv);

export type ListerConfig = Readonly<{ appPort: number; databaseUrl: string; google: GoogleSettings; dropbox: DropboxSettings; urls: UrlImportSettings; sidecar: SidecarSettings }>;

/** Parses the lister's settings once; every bad key is reported in one error. */
export function loadListerConfig(env: NodeJS.ProcessEnv = process.env): ListerConfig {
  const parsed = ListerEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid lister configuration:\n${z.prettifyError(parsed.error)}`);
  return Object.freeze({
    appPort: parsed.data.APP_PORT ?? 3001,
    databaseUrl: loadDbConfig(env).databaseUrl,
    google: googleSettings(parsed.data),
    dropbox: dropboxSettings(parsed.data),
    urls: urlImportSettings(parsed.data),
    sidecar: sidecarSettings(parsed.data),
  });
}
