import { join } from 'node:path';
import { devkitConfig } from './config.js';
import { type DaprApp, startDaprApp } from './dapr-app.js';
import { localSecretEnv, placementAddress, schedulerAddress } from './local-platform.js';
import { readRunFile, type RunFile } from './run-file.js';
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
}

export interface RunningSystem {
  apps: Map<string, DaprApp>;
  /**
   * After a crash: a supervised system restarts the app itself, and this waits until it is healthy again; otherwise
   * it starts the app exactly as the system first started it.
   */
  restart(appId: string): Promise<DaprApp>;
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
  const apps = new Map<string, DaprApp>();
  const supervise = options.supervise ?? true;
  const restartPolicy = supervise ? { ...DEFAULT_RESTART_POLICY, log: (line: string) => console.log(`[platform] ${line}`) } : undefined;

  const start = async (appId: string): Promise<DaprApp> => {
    const app = file.apps.find((a) => a.appID === appId);
    if (!app) throw new Error(`the run file has no app ${appId}`);
    const [command, ...args] = app.command;
    const started = await startDaprApp({
      appId: app.appID,
      app: { command: command ?? 'node', args, cwd: app.appDirPath, env: { ...file.common.env, ...app.env, ...options.env } },
      ...(app.appPort === undefined ? {} : { appPort: app.appPort }),
      ...(app.daprHTTPPort === undefined ? {} : { daprHttpPort: app.daprHTTPPort }),
      ...(app.daprGRPCPort === undefined ? {} : { daprGrpcPort: app.daprGRPCPort }),
      ...(app.appMaxConcurrency === undefined ? {} : { appMaxConcurrency: app.appMaxConcurrency }),
      resourcesPaths,
      configPath: app.configFilePath ?? file.common.configFilePath,
      maxBodySize: app.maxBodySize ?? file.common.maxBodySize,
      logLevel: file.common.logLevel,
      sidecarEnv: localSecretEnv(),
      ...(options.echo ? { echo: true } : {}),
      ...(restartPolicy ? { restartPolicy } : {}),
    });
    apps.set(appId, started);
    return started;
  };

  try {
    await Promise.all(file.apps.map((app) => start(app.appID)));
  } catch (error) {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    throw error;
  }
  return {
    apps,
    restart: async (appId) => {
      const running = apps.get(appId);
      if (!supervise || !running) return start(appId);
      await running.whenHealthy(120_000);
      return running;
    },
    stop: async () => {
      await Promise.all([...apps.values()].map((app) => app.stop()));
    },
  };
}
