import assert from 'node:assert/strict';
import type { DaprApp, RunningSystem } from '@importer/devkit';

/** Every running copy of every app. */
export function everyReplica(system: RunningSystem): DaprApp[] {
  return [...system.apps.keys()].flatMap((appId) => system.replicas(appId));
}

/** Restarts the supervisor has made so far of each replica's app and sidecar together, by replica name. */
export function restartCounts(system: RunningSystem): Map<string, number> {
  return new Map(everyReplica(system).map((app) => [app.name, app.restarts.app + app.restarts.daprd]));
}

/**
 * Every app and sidecar runs and answers its health check; only the replicas in `struck` (the ones the fault killed)
 * may have been restarted since `before`, so an app that fell over from a platform fault is reported, not hidden.
 */
export async function assertEveryServiceUp(system: RunningSystem, before: Map<string, number>, struck: readonly DaprApp[] = []): Promise<void> {
  for (const app of everyReplica(system)) {
    await app.whenHealthy(60_000);
    assert.equal((await fetch(`http://127.0.0.1:${app.appPort}/health`)).status, 200, `${app.name} answers /health`);
    assert.equal((await fetch(`${app.sidecarUrl}/v1.0/healthz`)).status, 204, `${app.name}'s sidecar is healthy`);
    if (struck.includes(app)) continue;
    const restarts = app.restarts.app + app.restarts.daprd - (before.get(app.name) ?? 0);
    assert.equal(restarts, 0, `${app.name} and its sidecar were not restarted by the fault (${restarts} restarts)\n${app.logs()}`);
  }
}
