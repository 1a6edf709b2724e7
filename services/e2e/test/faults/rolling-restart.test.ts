import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { DaprApp } from '@importer/devkit';
import { checkFault, checkWithoutFault } from '../../src/faults/fault-check.js';
import { type FaultBench, startFaultBench } from '../../src/faults/fault-bench.js';

const TRANSFERS = 3;
/** Kubernetes' default grace period: a pod still running after it is killed. */
const GRACE_MS = 30_000;

/** The longest time the job's processed count stood still while `watch` ran, in seconds. */
function stallWatch(bench: FaultBench, jobId: string): { stop(): Promise<number> } {
  let running = true;
  let longest = 0;
  const watching = (async () => {
    let last = -1;
    let since = Date.now();
    while (running) {
      const job = await bench.api.job(jobId).catch(() => undefined);
      if (job && job.processed_files !== last) {
        last = job.processed_files;
        since = Date.now();
      }
      longest = Math.max(longest, (Date.now() - since) / 1000);
      if (job && job.processed_files >= job.total_files && job.total_files > 0) break;
      await sleep(250);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await watching;
      return longest;
    },
  };
}

/**
 * SIGTERM to one transfer app after another, as a rolling restart does (the sidecar stays, the supervisor starts the
 * app again): each must exit within the grace period, having handed its work back.
 */
async function rollingRestart(replicas: readonly DaprApp[]): Promise<number[]> {
  const exits: number[] = [];
  for (const replica of replicas) {
    const app = replica.app;
    assert.ok(app, `${replica.name} runs its app`);
    const started = Date.now();
    app.signal('SIGTERM');
    const exited = await Promise.race([app.exited.then(() => true), sleep(GRACE_MS).then(() => false)]);
    assert.ok(exited, `${replica.name} exited within ${GRACE_MS / 1000} s of SIGTERM`);
    exits.push((Date.now() - started) / 1000);
    await replica.whenHealthy(60_000);
  }
  return exits;
}

describe(`a rolling restart of every transfer replica (${TRANSFERS}) mid-import`, () => {
  let bench: FaultBench;
  let baselineSeconds: number | undefined;

  before(async () => {
    bench = await startFaultBench({ replicas: { transfer: TRANSFERS } });
  });

  after(async () => {
    await bench?.close();
  });

  test('an import with no fault, for reference', async () => {
    baselineSeconds = (await checkWithoutFault(bench)).importSeconds;
  });

  test('loses nothing, each replica exits within 30 s of SIGTERM, and the import never stands still for 30 s', async () => {
    let watch: { stop(): Promise<number> } | undefined;
    let exits: number[] = [];
    const replicas = bench.system.replicas('transfer');
    await checkFault(
      bench,
      {
        label: `rolling restart of ${TRANSFERS} transfers (SIGTERM, one after another)`,
        strike: async (jobId) => {
          watch = stallWatch(bench, jobId);
          exits = await rollingRestart(replicas);
          return replicas;
        },
      },
      baselineSeconds,
    );
    const longestStall = (await watch?.stop()) ?? Number.NaN;
    console.log(`[faults] rolling restart: exits after SIGTERM ${exits.map((s) => `${s.toFixed(1)} s`).join(', ')}; longest stall ${longestStall.toFixed(1)} s`);
    assert.ok(longestStall < 30, `the import stood still for ${longestStall.toFixed(1)} s`);
    // The log file outlives each process the supervisor starts, so it holds the line of the one that was stopped.
    for (const replica of replicas) {
      assert.match(readFileSync(replica.app?.logFile ?? '/dev/null', 'utf8'), /shutting down: handing back new work/, `${replica.name} drained on SIGTERM`);
    }
  });
});
