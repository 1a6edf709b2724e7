import { join } from 'node:path';
import { devkitConfig } from './config.js';
import { type DaprApp, startDaprApp } from './dapr-app.js';
import { localSecretEnv, placementAddress, schedulerAddress } from './local-platform.js';
import { replicaCounts, replicaName } from './replicas.js';
import { readRunFile, type RunFile, type RunFileApp } from './run-file.js';
import { DEFAULT_RESTART_POLICY } from './supervised-process.js';

export const defaultRunFile = join(devkitConfig.repoRoot, 'dapr', 'dapr.yaml');

export interface SystemOptions {
  runFile?: string;
  /** Environment for every app, over the run file's own. */
  env?: Record<string, string>;
  /** Replaces the run file's pub/sub folder (`components/pubsub-redis`) with another, as a user would by editing it. */
  pubsubFolder?: string;
  /** Print the apps' output here too. */
  echo?: boolean;
  /** Restart an app or a sidecar that exits, with back-off and a log line, as Kubernetes would (the default). */
  supervise?: boolean;
  /**
   * Replicas per app id (tests), over API_REPLICAS, LISTER_REPLICAS, TRANSFER_REPLICAS and the run file's `replicas:`.
   * Replica 0 keeps the run file's fixed ports; the others take free ones, under the same app id (one consumer group).
   */
  replicas?: Partial<Record<string, number>>;
}

export interface RunningSystem {
  /** Replica 0 of each app: the one on the run file's fixed ports (http://127.0.0.1:3000, :8080). */
  apps: Map<string, DaprApp>;
  /** Every replica of an app, replica 0 first; empty for an app the run file does not have. */
  replicas(appId: string): DaprApp[];
  /**
   * After a crash of a replica (0 unless told): a supervised system restarts it itself, and this waits until it is
   * healthy again; otherwise it starts that replica exactly as the system first started it.
   */
  restart(appId: string, replica?: number): Promise<DaprApp>;
  stop(): Promise<void>;
}

/** The launcher needs the sidecars to use the local placement and scheduler: the run file must name the same. */
function checkAddresses(file: RunFile): void {
  if (file.common.placementHostAddress !== placementAddress() || file.common.schedulerHostAddress !== schedulerAddress()) {
    throw new Error(`the run file must use placement ${placementAddress()} and scheduler ${schedulerAddress()}`);
  }
}

/**
 * Runs every app of a multi-app run file beside its own daprd, as `dapr run -f` would: what `npm start` runs,
 * and what the end-to-end tests drive.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const file = readRunFile(options.runFile ?? defaultRunFile);
  checkAddresses(file);
  const resourcesPaths = options.pubsubFolder
    ? file.common.resourcesPaths.map((p) => (p.endsWith(join('components', 'pubsub-redis')) ? join(devkitConfig.repoRoot, options.pubsubFolder ?? '') : p))
    : file.common.resourcesPaths;
  const counts = replicaCounts(file.apps, options.replicas, devkitConfig.replicas);
  const running = new Map<string, DaprApp[]>(file.apps.map((app) => [app.appID, []]));
  const supervise = options.supervise ?? true;
  const restartPolicy = supervise ? { ...DEFAULT_RESTART_POLICY, log: (line: string) => console.log(`[platform] ${line}`) } : undefined;

  const start = async (appId: string, replica: number): Promise<DaprApp> => {
    const app = file.apps.find((a) => a.appID === appId);
    const count = counts.get(appId) ?? 0;
    if (!app) throw new Error(`the run file has no app ${appId}`);
    if (!Number.isInteger(replica) || replica < 0 || replica >= count) throw new Error(`${appId} runs ${count} replica(s): there is no replica ${replica}`);
    const [command, ...args] = app.command;
    const env = { ...file.common.env, ...app.env, ...options.env, REPLICA_INDEX: String(replica) };
    const started = await startDaprApp({
      appId: app.appID,
      name: replicaName(app.appID, replica, count),
      app: { command: command ?? 'node', args, cwd: app.appDirPath, env },
      ...(replica === 0 ? fixedPorts(app) : {}),
      ...(app.appMaxConcurrency === undefined ? {} : { appMaxConcurrency: app.appMaxConcurrency }),
      resourcesPaths,
      configPath: app.configFilePath ?? file.common.configFilePath,
      maxBodySize: app.maxBodySize ?? file.common.maxBodySize,
      logLevel: file.common.logLevel,
      sidecarEnv: localSecretEnv(),
      ...(options.echo ? { echo: true } : {}),
      ...(restartPolicy ? { restartPolicy } : {}),
    });
    const replicas = running.get(appId) ?? [];
    replicas[replica] = started;
    running.set(appId, replicas);
    return started;
  };
  const everyReplica = () => [...running.values()].flat();

  try {
    await Promise.all(file.apps.flatMap((app) => Array.from({ length: counts.get(app.appID) ?? 1 }, (_, replica) => start(app.appID, replica))));
  } catch (error) {
    await Promise.all(everyReplica().map((app) => app.stop()));
    throw error;
  }
  const apps = new Map([...running].flatMap(([appId, replicas]): [string, DaprApp][] => (replicas[0] ? [[appId, replicas[0]]] : [])));
  return {
    apps,
    replicas: (appId) => [...(running.get(appId) ?? [])],
    restart: async (appId, replica = 0) => {
      const current = running.get(appId)?.[replica];
      if (!supervise || !current) {
        const started = await start(appId, replica);
        if (replica === 0) apps.set(appId, started);
        return started;
      }
      await current.whenHealthy(120_000);
      return current;
    },
    stop: async () => {
      await Promise.all(everyReplica().map((app) => app.stop()));
    },
  };
}

/** The run file's own ports, which only replica 0 takes: two processes cannot listen on one. */
function fixedPorts(app: RunFileApp): { appPort?: number; daprHttpPort?: number; daprGrpcPort?: number } {
  return {
    ...(app.appPort === undefined ? {} : { appPort: app.appPort }),
    ...(app.daprHTTPPort === undefined ? {} : { daprHttpPort: app.daprHTTPPort }),
    ...(app.daprGRPCPort === undefined ? {} : { daprGrpcPort: app.daprGRPCPort }),
  };
}
