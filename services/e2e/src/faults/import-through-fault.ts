import { setTimeout as sleep } from 'node:timers/promises';
import type { JobDetail } from '@importer/contracts';
import type { DriveFolder } from '@importer/emulators';
import { type ApiClient, ENDED } from '../api-client.js';
import { FAULT_IMPORT } from './fault-bench.js';

/** What one import through a fault took. */
export interface FaultOutcome {
  jobId: string;
  /** The job as it ended. */
  job: JobDetail;
  /** From the fault striking to the job's `finished_at`; undefined without a fault. */
  secondsFromFault: number | undefined;
  /** From the job's creation to its end. */
  importSeconds: number;
  /** Files imported when the fault struck. */
  importedAtFault: number | undefined;
}

/** Several rounds of the watchdog (a minute without progress, then its 30 s period): what lost work may wait for. */
const JOB_END_TIMEOUT_MS = 6 * 60_000;

/** Polls the job until `done` says so, through the api's own outages (refused connections, 5xx while a dependency is down). */
async function waitThroughOutages(api: ApiClient, jobId: string, done: (job: JobDetail) => boolean, timeoutMs: number): Promise<JobDetail> {
  const deadline = Date.now() + timeoutMs;
  let last: JobDetail | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await api.job(jobId);
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
  throw new Error(`job ${jobId} did not get there in ${timeoutMs / 1000} s; last seen: ${JSON.stringify(last)}${cause}`);
}

const secondsBetween = (fromMs: number, to: string | null): number => (to === null ? Number.NaN : (Date.parse(to) - fromMs) / 1000);

/**
 * Imports `folder`, and when about a quarter of its files are in, strikes with `fault` (which resolves once the fault
 * is over: a process killed, a service back); then waits for the job to end, however it ends.
 */
export async function importThroughFault(api: ApiClient, folder: DriveFolder, fault?: (jobId: string) => Promise<void>): Promise<FaultOutcome> {
  const answer = await api.post('/import/google-drive', { folder_url: folder.link });
  if (answer.status !== 202) throw new Error(`the import was refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const jobId = String(answer.body.job_id);
  let faultAt: number | undefined;
  let importedAtFault: number | undefined;
  if (fault) {
    const quarter = await waitThroughOutages(api, jobId, (j) => j.processed_files >= FAULT_IMPORT.files / 4 || ENDED.has(j.status), 120_000);
    if (ENDED.has(quarter.status)) throw new Error(`the job ended before the fault could strike: ${JSON.stringify(quarter)}`);
    importedAtFault = quarter.processed_files;
    faultAt = Date.now();
    await fault(jobId);
  }
  const job = await waitThroughOutages(api, jobId, (j) => ENDED.has(j.status), JOB_END_TIMEOUT_MS);
  return {
    jobId,
    job,
    secondsFromFault: faultAt === undefined ? undefined : secondsBetween(faultAt, job.finished_at),
    importSeconds: secondsBetween(Date.parse(job.created_at), job.finished_at),
    importedAtFault,
  };
}
