import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DaprApp } from '@importer/devkit';
import type { FaultBench } from './fault-bench.js';

/** The ledger table whose leases a replica of the app holds. */
const LEASED_WORK = { lister: 'import_folders', transfer: 'import_files' } as const;

/** A lease holder is `<app id>/<host>/<pid>/<random>` (services/db workerSettings): the pid names the replica. */
function replicaOfHolder(replicas: readonly DaprApp[], holder: string): DaprApp | undefined {
  const pid = Number(holder.split('/')[2]);
  return replicas.find((app) => app.app?.pid === pid);
}

/**
 * The lister or transfer replica holding most of the job's live leases now, so killing it loses work in flight;
 * waits up to 5 s for one (a lister between two pages holds none), then takes the last replica.
 */
export async function busiestReplica(bench: FaultBench, appId: keyof typeof LEASED_WORK, jobId: string): Promise<DaprApp> {
  const replicas = bench.system.replicas(appId);
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const holders = (await bench.db.dataSource.query(
      `SELECT lease_holder AS holder, count(*)::int AS held FROM ${LEASED_WORK[appId]}
        WHERE job_id = $1 AND lease_holder IS NOT NULL AND lease_expires_at > now() GROUP BY lease_holder ORDER BY held DESC`,
      [jobId],
    )) as { holder: string; held: number }[];
    for (const { holder } of holders) {
      const replica = replicaOfHolder(replicas, holder);
      if (replica) return replica;
    }
    await sleep(100);
  }
  const last = replicas.at(-1);
  if (!last) throw new Error(`the system runs no ${appId}`);
  return last;
}

/** The api replica whose ImportJob actor started the job (its log says so), the one whose crash moves the actor. */
export function actorHost(bench: FaultBench, jobId: string): DaprApp {
  const replicas = bench.system.replicas('api');
  const host = replicas.find((app) =>
    readFileSync(app.app?.logFile ?? '/dev/null', 'utf8')
      .split('\n')
      .some((line) => line.includes('"job started"') && line.includes(jobId)),
  );
  if (!host) throw new Error(`no api replica logged the start of job ${jobId}`);
  return host;
}

/** Fails unless the job still has a folder being listed: a lister killed after the listing ended would test nothing. */
export async function assertListingUnderWay(bench: FaultBench, jobId: string): Promise<void> {
  const [row] = (await bench.db.dataSource.query(`SELECT count(*)::int AS listing FROM import_folders WHERE job_id = $1 AND status = 'listing'`, [jobId])) as {
    listing: number;
  }[];
  if (!row?.listing) throw new Error(`the listing of job ${jobId} had ended before the lister was killed; make the pages smaller`);
}
