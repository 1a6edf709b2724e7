import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { daemonLogFile, devkitConfig, httpOk, localPlatform, startDaemon, waitFor } from '@importer/devkit';

const { placement, scheduler } = localPlatform;

async function ensureDaemon(name: string, healthzPort: number, args: string[]): Promise<string> {
  const healthz = `http://127.0.0.1:${healthzPort}/healthz`;
  if (await httpOk(healthz)) return 'already running';
  startDaemon({ name, command: join(devkitConfig.daprBin, name), args });
  await waitFor(async () => ((await httpOk(healthz)) ? true : undefined), {
    what: `${name} to become healthy (log: ${daemonLogFile(name)})`,
    timeoutMs: 60_000,
  });
  return 'started';
}

/** Dapr placement: where actors live. In-memory state; sidecars re-register when it restarts. */
export function ensurePlacement(): Promise<string> {
  return ensureDaemon('placement', placement.healthzPort, [
    '--port', String(placement.port),
    '--listen-address', placement.host,
    '--healthz-port', String(placement.healthzPort),
    '--metrics-port', String(placement.metricsPort),
    '--log-level', 'warn',
  ]);
}

/** Dapr scheduler: holds actor reminders (the only reminder store since 1.17) in an embedded etcd under `.data/scheduler`. */
export function ensureScheduler(): Promise<string> {
  const dataDir = join(devkitConfig.dataDir, 'scheduler');
  mkdirSync(dataDir, { recursive: true });
  return ensureDaemon('scheduler', scheduler.healthzPort, [
    '--port', String(scheduler.port),
    '--listen-address', scheduler.host,
    '--healthz-port', String(scheduler.healthzPort),
    '--metrics-port', String(scheduler.metricsPort),
    '--etcd-data-dir', dataDir,
    '--etcd-client-port', String(scheduler.etcdClientPort),
    '--etcd-initial-cluster', `dapr-scheduler-server-0=http://localhost:${scheduler.etcdPeerPort}`,
    '--log-level', 'warn',
  ]);
}
