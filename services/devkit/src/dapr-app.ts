import { join, resolve } from 'node:path';
import { SIDECAR_MAX_BODY_MB } from '@importer/contracts';
import { devkitConfig } from './config.js';
import { freePort } from './free-port.js';
import { localSecretEnv, placementAddress, schedulerAddress } from './local-platform.js';
import { type ManagedProcess, startProcess } from './managed-process.js';
import { httpOk, waitFor } from './wait-for.js';

export interface AppProcessSpec {
  command: string;
  args?: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface DaprAppSpec {
  appId: string;
  /** The app, started as its own process; omit it for a sidecar whose app runs in the test process. */
  app?: AppProcessSpec;
  /** The port of an app the caller runs itself; required when `app` is omitted and the sidecar must reach an app. */
  appPort?: number;
  /** Resource folders, from `prepareResources` or relative to the repo root. */
  resourcesPaths: readonly string[];
  /** Defaults to `dapr/config.yaml`. */
  configPath?: string;
  /** Sidecar `--max-body-size`; defaults to the project's limit. */
  maxBodySize?: string;
  /** Extra environment for daprd (secrets the env secret store hands out). */
  sidecarEnv?: Record<string, string>;
  appMaxConcurrency?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readyTimeoutMs?: number;
  /** Fixed sidecar ports (a run file's daprHTTPPort and daprGRPCPort); free ports otherwise. */
  daprHttpPort?: number;
  daprGrpcPort?: number;
  /** Also print the app's output to this process's stdout, each line prefixed with the app id. */
  echo?: boolean;
  /**
   * The sidecar's namespace: placement routes actors only among sidecars of one namespace, so a test that
   * hosts the system's actor types in its own cannot take work from, or give it to, a system running beside it.
   */
  namespace?: string;
}

export interface DaprApp {
  readonly appId: string;
  readonly appPort: number | undefined;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly app: ManagedProcess | undefined;
  readonly daprd: ManagedProcess;
  /** Base URL of the sidecar's HTTP API: `http://127.0.0.1:<port>`. */
  readonly sidecarUrl: string;
  /** The tails of the app's and the sidecar's logs, for failure messages. */
  logs(): string;
  /** SIGKILL to app and sidecar at once, as a crash would. */
  crash(): Promise<void>;
  /** Graceful stop of app and sidecar. */
  stop(): Promise<void>;
}

/**
 * Starts an app beside a real daprd on free ports (connected to the local placement and scheduler),
 * waits until the sidecar reports healthy, and hands back a handle that tears both down.
 */
export async function startDaprApp(spec: DaprAppSpec): Promise<DaprApp> {
  const [httpPort, grpcPort, internalGrpcPort, metricsPort] = await Promise.all([
    spec.daprHttpPort ?? freePort(),
    spec.daprGrpcPort ?? freePort(),
    freePort(),
    freePort(),
  ]);
  const appPort = spec.app ? (spec.appPort ?? (await freePort())) : spec.appPort;
  const logDir = join(devkitConfig.logDir, 'apps', `${spec.appId}-${Date.now()}`);

  const app = spec.app
    ? startProcess({
        name: spec.appId,
        command: spec.app.command,
        args: spec.app.args ?? [],
        cwd: spec.app.cwd ?? devkitConfig.repoRoot,
        env: {
          APP_ID: spec.appId,
          APP_PORT: String(appPort),
          DAPR_HTTP_PORT: String(httpPort),
          DAPR_GRPC_PORT: String(grpcPort),
          DAPR_HOST: '127.0.0.1',
          ...spec.app.env,
        },
        logFile: join(logDir, 'app.log'),
        ...(spec.echo ? { echoPrefix: spec.appId } : {}),
      })
    : undefined;

  const args = [
    '--app-id', spec.appId,
    '--dapr-http-port', String(httpPort),
    '--dapr-grpc-port', String(grpcPort),
    '--dapr-internal-grpc-port', String(internalGrpcPort),
    '--metrics-port', String(metricsPort),
    '--placement-host-address', placementAddress(),
    '--scheduler-host-address', schedulerAddress(),
    '--config', resolve(devkitConfig.repoRoot, spec.configPath ?? 'dapr/config.yaml'),
    '--max-body-size', spec.maxBodySize ?? `${SIDECAR_MAX_BODY_MB}Mi`,
    '--log-level', spec.logLevel ?? 'info',
    ...spec.resourcesPaths.flatMap((path) => ['--resources-path', resolve(devkitConfig.repoRoot, path)]),
    ...(appPort === undefined ? [] : ['--app-port', String(appPort)]),
    ...(spec.appMaxConcurrency === undefined ? [] : ['--app-max-concurrency', String(spec.appMaxConcurrency)]),
  ];
  const daprd = startProcess({
    name: `daprd:${spec.appId}`,
    command: join(devkitConfig.daprBin, 'daprd'),
    args,
    env: { ...localSecretEnv(), ...spec.sidecarEnv, ...(spec.namespace ? { NAMESPACE: spec.namespace } : {}) },
    logFile: join(logDir, 'daprd.log'),
  });

  const logs = () =>
    [app ? `--- ${spec.appId} (app) ---\n${app.output()}` : '', `--- daprd:${spec.appId} ---\n${daprd.output()}`].join('\n');
  const stop = async () => {
    await Promise.all([app?.stop(), daprd.stop()]);
  };

  try {
    await waitFor(async () => ((await httpOk(`http://127.0.0.1:${httpPort}/v1.0/healthz`)) ? true : undefined), {
      what: `the sidecar of ${spec.appId} to become healthy`,
      timeoutMs: spec.readyTimeoutMs ?? 60_000,
      abortReason: () => {
        if (!daprd.running) return 'daprd exited';
        if (app && !app.running) return 'the app exited';
        return undefined;
      },
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${logs()}`);
  }

  return {
    appId: spec.appId,
    appPort,
    httpPort,
    grpcPort,
    app,
    daprd,
    sidecarUrl: `http://127.0.0.1:${httpPort}`,
    logs,
    stop,
    async crash() {
      app?.signal('SIGKILL');
      daprd.signal('SIGKILL');
      await Promise.all([app?.exited, daprd.exited]);
    },
  };
}
