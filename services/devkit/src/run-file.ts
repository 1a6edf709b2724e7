import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const AppSchema = z.object({
  appID: z.string(),
  appDirPath: z.string(),
  appPort: z.number().int().optional(),
  daprHTTPPort: z.number().int().optional(),
  daprGRPCPort: z.number().int().optional(),
  command: z.array(z.string()).min(1),
  env: z.record(z.string(), z.string()).default({}),
  maxBodySize: z.string().optional(),
  appMaxConcurrency: z.number().int().optional(),
  /** The app's own Configuration instead of the common one (api's carries the access-control policy). */
  configFilePath: z.string().optional(),
  /**
   * How many copies of the app the local launcher runs, one consumer group under one app id (default 1). The launcher's
   * own key: the Dapr CLI ignores it and runs one, and API_REPLICAS, LISTER_REPLICAS, TRANSFER_REPLICAS override it.
   */
  replicas: z.number().int().min(1).optional(),
});

/** The keys of a `dapr run -f` run file that the local launcher honours; anything else is refused, not ignored. */
const RunFileSchema = z.object({
  version: z.literal(1),
  common: z
    .object({
      resourcesPaths: z.array(z.string()).min(1),
      configFilePath: z.string(),
      appProtocol: z.literal('http'),
      placementHostAddress: z.string(),
      schedulerHostAddress: z.string(),
      maxBodySize: z.string(),
      logLevel: z.enum(['debug', 'info', 'warn', 'error']),
      env: z.record(z.string(), z.string()).default({}),
    })
    .strict(),
  apps: z.array(AppSchema.strict()).min(1),
});

export type RunFile = z.infer<typeof RunFileSchema>;
export type RunFileApp = RunFile['apps'][number];

/** Reads a run file and resolves every path in it against the file's folder, as the Dapr CLI does. */
export function readRunFile(path: string): RunFile {
  const base = dirname(path);
  const parsed = RunFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a run file this launcher understands:\n${z.prettifyError(parsed.error)}`);
  const file = parsed.data;
  return {
    ...file,
    common: {
      ...file.common,
      resourcesPaths: file.common.resourcesPaths.map((p) => resolve(base, p)),
      configFilePath: resolve(base, file.common.configFilePath),
    },
    apps: file.apps.map((app) => ({
      ...app,
      appDirPath: resolve(base, app.appDirPath),
      ...(app.configFilePath ? { configFilePath: resolve(base, app.configFilePath) } : {}),
    })),
  };
}
