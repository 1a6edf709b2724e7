import { z } from 'zod';
import { loadDbConfig, WorkerEnvSchema, type WorkerSettings, workerSettings } from '@importer/db';
import { refineSourcesEnv, SourcesEnvSchema, sourceSettings, type SourceSettings } from '@importer/providers';
import { SidecarEnvSchema, sidecarSettings, type SidecarSettings } from '@importer/sidecar';

export const ListerEnvSchema = SidecarEnvSchema.extend(SourcesEnvSchema.shape).extend(WorkerEnvSchema.shape).superRefine(refineSourcesEnv);

export type ListerConfig = Readonly<{ appPort: number; databaseUrl: string; worker: WorkerSettings; sidecar: SidecarSettings } & SourceSettings>;

/** Parses the lister's settings once; every bad key is reported in one error. */
export function loadListerConfig(env: NodeJS.ProcessEnv = process.env): ListerConfig {
  const parsed = ListerEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid lister configuration:\n${z.prettifyError(parsed.error)}`);
  return Object.freeze({
    appPort: parsed.data.APP_PORT ?? 3001,
    databaseUrl: loadDbConfig(env).databaseUrl,
    worker: workerSettings(parsed.data, 'lister'),
    ...sourceSettings(parsed.data),
    sidecar: sidecarSettings(parsed.data),
  });
}
