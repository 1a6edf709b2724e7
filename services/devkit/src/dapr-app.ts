import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SIDECAR_MAX_BODY_MB } from '@importer/contracts';
import { devkitConfig } from './config.js';
import { freePort } from './free-port.js';
import { localSecretEnv, placementAddress, schedulerAddress, sentryAddress, trustAnchorsFile } from './local-platform.js';
import type { ManagedProcess } from './managed-process.js';
import { type RestartPolicy, SupervisedProcess } from './supervised-process.js';
import { httpOk, tcpOpen, waitFor } from './wait-for.js';

export interface AppProcessSpec {
  command: string;
  args?: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface DaprAppSpec {
  appId: string;
  /** This copy's name in log prefixes and its log folder (`transfer#2`, one of several replicas); the app id otherwise. */
  name?: string;
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
  /** The app's and its sidecar's tokens; fresh random ones otherwise (an app the test runs itself needs them from the handle). */
  tokens?: SidecarTokens;
  /** Restart the app or its sidecar whenever one exits unasked, as a pod's containers are; once only otherwise. */
  restartPolicy?: RestartPolicy;
}

/** The two tokens between an app and its sidecar: DAPR_API_TOKEN (app → sidecar) and APP_API_TOKEN (sidecar → app). */
export interface SidecarTokens {
  daprApiToken: string;
  appApiToken: string;
}

/** A fresh pair of tokens, as the launcher makes for every run. */
export function newSidecarTokens(): SidecarTokens {
  return { daprApiToken: randomBytes(24).toString('base64url'), appApiToken: randomBytes(24).toString('base64url') };
}

export interface DaprApp {
  readonly appId: string;
  /** The replica's name in logs: the app id, or `transfer#2` when the app runs as several. */
  readonly name: string;
  readonly appPort: number | undefined;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** The app's process and its sidecar's running now (new ones after a supervised restart). */
  readonly app: ManagedProcess | undefined;
  readonly daprd: ManagedProcess;
  /** Restarts the supervisor made of the app and of its sidecar. */
  readonly restarts: { app: number; daprd: number };
  /** Resolves once both processes run and the sidecar reports healthy (after a supervised restart, say). */
  whenHealthy(timeoutMs?: number): Promise<void>;
  /** Base URL of the sidecar's HTTP API: `http://127.0.0.1:<port>`. */
  readonly sidecarUrl: string;
  /** What the sidecar's API asks for (`dapr-api-token`) and what it sends the app. */
  readonly tokens: SidecarTokens;
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
  const name = spec.name ?? spec.appId;
  // Replicas start in the same millisecond: the name keeps their folders apart ('#' is awkward in a path).
  const logDir = join(devkitConfig.logDir, 'apps', `${name.replace('#', '-')}-${Date.now()}`);
  const tokens = spec.tokens ?? newSidecarTokens();
  const tokenEnv = { DAPR_API_TOKEN: tokens.daprApiToken, APP_API_TOKEN: tokens.appApiToken };

  const app = spec.app
    ? new SupervisedProcess({
        name,
        command: spec.app.command,
        args: spec.app.args ?? [],
        cwd: spec.app.cwd ?? devkitConfig.repoRoot,
        env: {
          APP_ID: spec.appId,
          APP_PORT: String(appPort),
          DAPR_HTTP_PORT: String(httpPort),
          DAPR_GRPC_PORT: String(grpcPort),
          DAPR_HOST: '127.0.0.1',
          ...tokenEnv,
          ...spec.app.env,
        },
        logFile: join(logDir, 'app.log'),
        ...(spec.echo ? { echoPrefix: name } : {}),
      }, spec.restartPolicy)
    : undefined;

  const args = [
    '--app-id', spec.appId,
    '--dapr-http-port', String(httpPort),
    '--dapr-grpc-port', String(grpcPort),
    '--dapr-internal-grpc-port', String(internalGrpcPort),
    '--metrics-port', String(metricsPort),
    // Nothing listens wider than loopback: the sidecar's APIs, daprd-to-daprd gRPC and metrics.
    '--dapr-listen-addresses', '127.0.0.1',
    '--dapr-internal-grpc-listen-address', '127.0.0.1',
    '--metrics-listen-address', '127.0.0.1',
    '--app-channel-address', '127.0.0.1',
    // mTLS with identities from the local Sentry: access control knows the caller by its certificate.
    '--enable-mtls',
    '--sentry-address', sentryAddress(),
    '--placement-host-address', placementAddress(),
    '--scheduler-host-address', schedulerAddress(),
    '--config', resolve(devkitConfig.repoRoot, spec.configPath ?? 'dapr/config.yaml'),
    '--max-body-size', spec.maxBodySize ?? `${SIDECAR_MAX_BODY_MB}Mi`,
    '--log-level', spec.logLevel ?? 'info',
    ...spec.resourcesPaths.flatMap((path) => ['--resources-path', resolve(devkitConfig.repoRoot, path)]),
    ...(appPort === undefined ? [] : ['--app-port', String(appPort)]),
    ...(spec.appMaxConcurrency === undefined ? [] : ['--app-max-concurrency', String(spec.appMaxConcurrency)]),
  ];
  const daprd = new SupervisedProcess({
    name: `daprd:${name}`,
    command: join(devkitConfig.daprBin, 'daprd'),
    args,
    env: {
      ...localSecretEnv(),
      ...spec.sidecarEnv,
      ...tokenEnv,
      DAPR_TRUST_ANCHORS: readFileSync(trustAnchorsFile(), 'utf8'),
      NAMESPACE: spec.namespace ?? 'default',
    },
    logFile: join(logDir, 'daprd.log'),
  }, spec.restartPolicy);

  const logs = () =>
    [app ? `--- ${name} (app) ---\n${app.process.output()}` : '', `--- daprd:${name} ---\n${daprd.process.output()}`].join('\n');
  const stop = async () => {
    await Promise.all([app?.stop(), daprd.stop()]);
  };
  const whenHealthy = (timeoutMs = spec.readyTimeoutMs ?? 60_000) =>
    waitFor(
      async () =>
        daprd.process.running &&
        (app?.process.running ?? true) &&
        (await httpOk(`http://127.0.0.1:${httpPort}/v1.0/healthz`)) &&
        (app === undefined || appPort === undefined || (await tcpOpen('127.0.0.1', appPort)))
          ? true
          : undefined,
      {
        what: `the sidecar of ${name} to become healthy`,
        timeoutMs,
        // A supervised process that exits comes back; an unsupervised one will not, so waiting longer is pointless.
        abortReason: () => {
          if (spec.restartPolicy) return undefined;
          if (!daprd.process.running) return 'daprd exited';
          if (app && !app.process.running) return 'the app exited';
          return undefined;
        },
      },
    ).then(() => undefined);

  try {
    await whenHealthy();
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${logs()}`);
  }

  return {
    appId: spec.appId,
    name,
    appPort,
    httpPort,
    grpcPort,
    get app() {
      return app?.process;
    },
    get daprd() {
      return daprd.process;
    },
    get restarts() {
      return { app: app?.restarts ?? 0, daprd: daprd.restarts };
    },
    sidecarUrl: `http://127.0.0.1:${httpPort}`,
    tokens,
    logs,
    stop,
    whenHealthy,
    async crash() {
      const [appProcess, daprdProcess] = [app?.process, daprd.process];
      appProcess?.signal('SIGKILL');
      daprdProcess.signal('SIGKILL');
      await Promise.all([appProcess?.exited, daprdProcess.exited]);
    },
  };
}
