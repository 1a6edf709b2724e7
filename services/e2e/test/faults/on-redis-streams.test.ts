import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkFault, checkWithoutFault, crash, outage } from '../../src/faults/fault-check.js';
import { type FaultBench, startFaultBench } from '../../src/faults/fault-bench.js';
import { assertListingUnderWay } from '../../src/faults/fault-targets.js';
import { freezeMinio, restartControlPlane, restartPostgres, restartRedis, restorePlatform } from '../../src/faults/platform-faults.js';

// One system on Redis Streams takes every fault in turn, each on a folder of its own; Redis's restarts come last,
// since they empty the streams and the actor state every later test would stand on.
describe('faults mid-import, on Redis Streams, one replica of each app', () => {
  let bench: FaultBench;
  let baselineSeconds: number | undefined;

  before(async () => {
    bench = await startFaultBench();
  });

  after(async () => {
    try {
      await restorePlatform();
    } finally {
      await bench?.close();
    }
  });

  test('an import with no fault, for reference', async () => {
    baselineSeconds = (await checkWithoutFault(bench)).importSeconds;
  });

  for (const appId of ['transfer', 'lister', 'api']) {
    test(`SIGKILL of ${appId} and its sidecar, the only replica: the supervisor restarts them and the job completes`, async () => {
      const app = bench.system.apps.get(appId);
      assert.ok(app, `the system runs ${appId}`);
      const choose = async (jobId: string) => {
        if (appId === 'lister') await assertListingUnderWay(bench, jobId);
        return app;
      };
      await checkFault(bench, crash(`${appId} SIGKILL (1 of 1)`, choose), baselineSeconds);
    });
  }

  test('PostgreSQL stopped for 5 s and started again', async () => {
    await checkFault(bench, outage('PostgreSQL restart (down 5 s)', () => restartPostgres(5_000)), baselineSeconds);
  });

  test('S3 unreachable for 30 s (MinIO frozen with SIGSTOP, then SIGCONT)', async () => {
    await checkFault(bench, outage('S3 unreachable (MinIO SIGSTOP 30 s)', () => freezeMinio(30_000)), baselineSeconds);
  });

  test('placement and scheduler stopped for 5 s and started again', async () => {
    await checkFault(bench, outage('placement and scheduler restart (down 5 s)', () => restartControlPlane(5_000)), baselineSeconds);
  });

  test('Redis restarted with nothing kept (streams, consumer groups and actor state lost)', async () => {
    await checkFault(bench, outage('Redis restart (down 5 s, nothing kept)', () => restartRedis(5_000)), baselineSeconds);
  });

  test('Redis restarted with nothing kept, then SIGKILL of api: the job actor, its state gone, is rebuilt from PostgreSQL', async () => {
    const api = bench.system.apps.get('api');
    assert.ok(api, 'the system runs api');
    const strike = async () => {
      await restartRedis(5_000);
      await api.crash();
      return [api];
    };
    await checkFault(bench, { label: 'Redis restart, then api SIGKILL', strike }, baselineSeconds);
  });
});
