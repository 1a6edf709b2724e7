import assert from 'node:assert/strict';
import type { DaprApp } from '@importer/devkit';
import { assertImportedExactlyOnce } from './exactly-once.js';
import { FAULT_IMPORT, type FaultBench } from './fault-bench.js';
import { printBaseline, printFaultFigure, printNoEnd } from './fault-report.js';
import { type FaultOutcome, importThroughFault } from './import-through-fault.js';
import { assertEveryServiceUp, restartCounts } from './services-up.js';

/** One fault as a test names and strikes it. */
export interface Fault {
  /** How the printed line names it: `transfer SIGKILL (1 of 1)`, `Redis restart (down 5 s)`. */
  label: string;
  /**
   * Strikes the job's import, and resolves once the fault is over (the process is dead, the service back) with the
   * replicas it killed, which alone may have been restarted afterwards.
   */
  strike: (jobId: string) => Promise<readonly DaprApp[]>;
}

/** A fault of the platform (a broker, the database, S3, the control plane), over once `run` resolves. */
export function outage(label: string, run: () => Promise<void>): Fault {
  return {
    label,
    strike: async () => {
      await run();
      return [];
    },
  };
}

/** SIGKILL of one replica's app and sidecar at once, the replica `choose` picks for the job. */
export function crash(label: string, choose: (jobId: string) => DaprApp | Promise<DaprApp>): Fault {
  return {
    label,
    strike: async (jobId) => {
      const app = await choose(jobId);
      await app.crash();
      return [app];
    },
  };
}

/** The job ended as a fault-free import would: completed, every file imported, none failed or skipped. */
function assertCompleted(outcome: FaultOutcome): void {
  const { job } = outcome;
  assert.equal(job.status, 'completed', JSON.stringify(job));
  assert.deepEqual([job.total_files, job.processed_files, job.failed_files, job.skipped_files], [FAULT_IMPORT.files, FAULT_IMPORT.files, 0, 0], JSON.stringify(job));
}

/** The import with no fault, on a folder of its own: the reference the faults' figures are read against. */
export async function checkWithoutFault(bench: FaultBench): Promise<FaultOutcome> {
  const folder = bench.folder('No fault');
  const before = restartCounts(bench.system);
  const outcome = await importThroughFault(bench.api, folder);
  printBaseline(outcome);
  assertCompleted(outcome);
  await assertImportedExactlyOnce(bench, outcome.jobId, folder);
  await assertEveryServiceUp(bench.system, before);
  return outcome;
}

/**
 * Imports a folder of its own through `fault` and holds the system to what it promises: the job completes, every
 * file exactly once and byte for byte, every app and sidecar up afterwards. Prints the seconds from fault to job end.
 */
export async function checkFault(bench: FaultBench, fault: Fault, baselineSeconds: number | undefined): Promise<FaultOutcome> {
  const folder = bench.folder(fault.label);
  const before = restartCounts(bench.system);
  let outcome: FaultOutcome;
  let struck: readonly DaprApp[] = [];
  try {
    outcome = await importThroughFault(bench.api, folder, async (jobId) => {
      struck = await fault.strike(jobId);
    });
  } catch (error) {
    printNoEnd(fault.label, error);
    throw error;
  }
  printFaultFigure(fault.label, outcome, baselineSeconds);
  assertCompleted(outcome);
  await assertImportedExactlyOnce(bench, outcome.jobId, folder);
  await assertEveryServiceUp(bench.system, before, struck);
  return outcome;
}
