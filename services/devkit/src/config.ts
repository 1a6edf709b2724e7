import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ReplicaEnvSchema, replicasFromEnv } from './replicas.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const DevkitEnvSchema = z.object({
  /** Where daprd, placement, scheduler and the dapr CLI are installed. */
  DAPR_BIN: z.string().optional(),
  /** Where other built tools (MinIO) are cached. */
  TOOLS_BIN: z.string().optional(),
  /** Keep platform state and logs somewhere other than `<repo>/.data`. */
  IMPORTER_DATA_DIR: z.string().optional(),
}).extend(ReplicaEnvSchema.shape);

export interface DevkitConfig {
  readonly repoRoot: string;
  readonly daprBin: string;
  readonly toolsBin: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly runDir: string;
  /** Replicas per app id from API_REPLICAS, LISTER_REPLICAS and TRANSFER_REPLICAS. */
  readonly replicas: Readonly<Partial<Record<string, number>>>;
}

function load(env: NodeJS.ProcessEnv): DevkitConfig {
  const parsed = DevkitEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid devkit environment:\n${z.prettifyError(parsed.error)}`);
  const dataDir = parsed.data.IMPORTER_DATA_DIR ?? join(repoRoot, '.data');
  return Object.freeze({
    repoRoot,
    daprBin: parsed.data.DAPR_BIN ?? join(homedir(), '.dapr', 'bin'),
    toolsBin: parsed.data.TOOLS_BIN ?? join(homedir(), '.cache', 'image-importer', 'bin'),
    dataDir,
    logDir: join(dataDir, 'logs'),
    runDir: join(dataDir, 'run'),
    replicas: Object.freeze(replicasFromEnv(parsed.data)),
  });
}

export const devkitConfig: DevkitConfig = load(process.env);

/** The environment a child process gets: this process's own, plus what the caller adds. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
