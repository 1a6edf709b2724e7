import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonLogFile, devkitConfig, httpOk, localPlatform, runningDaemon, sentryCredentialsDir, startDaemon, stopDaemon, trustAnchorsFile, waitFor } from '@importer/devkit';

const { placement, scheduler, sentry } = localPlatform;
const sentryAddress = `${sentry.host}:${sentry.port}`;

/** The arguments a running daemon was started with, so a changed command line (an upgrade) restarts it. */
function argsStamp(name: string): string {
  return join(devkitConfig.runDir, `${name}.args`);
}

async function ensureDaemon(name: string, healthzPort: number, args: string[]): Promise<string> {
  const healthz = `http://127.0.0.1:${healthzPort}/healthz`;
  const wanted = JSON.stringify(args);
  const stamp = existsSync(argsStamp(name)) ? readFileSync(argsStamp(name), 'utf8') : undefined;
  let restarted = false;
  if (runningDaemon(name) !== undefined && stamp !== wanted) {
    await stopDaemon(name);
    restarted = true;
  } else if (await httpOk(healthz)) {
    return 'already running';
  }
  startDaemon({ name, command: join(devkitConfig.daprBin, name), args });
  writeFileSync(argsStamp(name), wanted);
  await waitFor(async () => ((await httpOk(healthz)) ? true : undefined), {
    what: `${name} to become healthy (log: ${daemonLogFile(name)})`,
    timeoutMs: 60_000,
  });
  return restarted ? 'restarted with new settings' : 'started';
}

/** Arguments every control-plane daemon takes: loopback only, and mTLS with identities from the local Sentry. */
function securedArgs(healthzPort: number): string[] {
  return [
    '--healthz-port', String(healthzPort),
    '--healthz-listen-address', '127.0.0.1',
    '--tls-enabled',
    '--trust-domain', sentry.trustDomain,
    '--trust-anchors-file', trustAnchorsFile(),
    '--sentry-address', sentryAddress,
    '--log-level', 'warn',
  ];
}

/**
 * Dapr Sentry: the certificate authority behind mTLS between sidecars, which access control needs to know who calls.
 * It creates its root and issuer certificates under `.data/sentry` on first start and keeps them.
 */
export async function ensureSentry(): Promise<string> {
  const dir = sentryCredentialsDir();
  mkdirSync(dir, { recursive: true });
  const result = await ensureDaemon('sentry', sentry.healthzPort, [
    '--port', String(sentry.port),
    '--listen-address', sentry.host,
    '--healthz-port', String(sentry.healthzPort),
    '--healthz-listen-address', '127.0.0.1',
    '--metrics-port', String(sentry.metricsPort),
    '--metrics-listen-address', '127.0.0.1',
    '--issuer-credentials', dir,
    '--trust-domain', sentry.trustDomain,
    '--config', join(devkitConfig.repoRoot, 'dapr', 'config.yaml'),
    '--log-level', 'warn',
  ]);
  await waitFor(async () => (existsSync(trustAnchorsFile()) ? true : undefined), { what: `Sentry's root certificate in ${dir}`, timeoutMs: 30_000 });
  return result;
}

/** Dapr placement: where actors live. In-memory state; sidecars re-register when it restarts. */
export function ensurePlacement(): Promise<string> {
  return ensureDaemon('placement', placement.healthzPort, [
    '--port', String(placement.port),
    '--listen-address', placement.host,
    '--metrics-port', String(placement.metricsPort),
    '--metrics-listen-address', '127.0.0.1',
    ...securedArgs(placement.healthzPort),
  ]);
}

/** Dapr scheduler: holds actor reminders (the only reminder store since 1.17) in an embedded etcd under `.data/scheduler`. */
export function ensureScheduler(): Promise<string> {
  const dataDir = join(devkitConfig.dataDir, 'scheduler');
  mkdirSync(dataDir, { recursive: true });
  return ensureDaemon('scheduler', scheduler.healthzPort, [
    '--port', String(scheduler.port),
    '--listen-address', scheduler.host,
    '--metrics-port', String(scheduler.metricsPort),
    '--metrics-listen-address', '127.0.0.1',
    '--etcd-data-dir', dataDir,
    '--etcd-client-port', String(scheduler.etcdClientPort),
    '--etcd-initial-cluster', `dapr-scheduler-server-0=http://localhost:${scheduler.etcdPeerPort}`,
    ...securedArgs(scheduler.healthzPort),
  ]);
}
