import { availableParallelism } from 'node:os';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { type DaprApp, localPlatform, runningDaemon, type RunningSystem, startSystem } from '@importer/devkit';
import type { JobDetail } from '@importer/contracts';
import { ApiClient, E2E_ADMIN_ENV, ENDED } from '../api-client.js';
import { checkSample } from './object-check.js';
import { childrenCpuSeconds, type Counted, cpuNow, cpuPerThousand, cpuSeconds, cpuSecondsNamed, machineCpuSeconds, ownCpuSeconds, peakMiB, peakMiBNamed } from './process-stats.js';
import { type RunResult, WHOLE_MACHINE } from './scale-report.js';

/** What is imported: the Drive emulator's benchmark folder, or the URL origin's files as one URL list. */
export type ImportSource =
  | { kind: 'drive'; driveRootUrl: string; folderLink: string }
  | { kind: 'urls'; urls: readonly string[]; originPid: number; fileSize: number };

/** The importer's settings that point it at the source. */
function sourceEnv(source: ImportSource, requestsPerSecond: number): Record<string, string> {
  if (source.kind === 'urls') return { URL_IMPORT_ALLOWED_HOSTS: new URL(source.urls[0] ?? 'http://127.0.0.1').hostname };
  return { GOOGLE_API_KEY: 'bench', GOOGLE_API_ROOT_URL: source.driveRootUrl, GOOGLE_REQUESTS_PER_SECOND: String(requestsPerSecond) };
}

/** The shared daemons every import leans on, counted by process name (PostgreSQL and Redis are not started by us). */
const SHARED_DAEMONS = [
  ['postgresql', 'postgres'],
  ['redis', 'redis-server'],
] as const;

export interface ImportSettings {
  round: number;
  transferReplicas: number;
  files: number;
  /** TRANSFER_CONCURRENCY of each replica. */
  concurrency: number;
  requestsPerSecond: number;
  /** The emulator's delay per answer, for the ceiling it sets. */
  latencyMs: number;
  source: ImportSource;
  /** startSystem's pubsubFolder: the broker, or its settings, under test. */
  pubsubFolder?: string | undefined;
}

/** Every replica of every app of the system, by its name in logs. */
function everyReplica(system: RunningSystem): DaprApp[] {
  return [...system.apps.keys()].flatMap((appId) => system.replicas(appId));
}

/** What transfer's own counter says a replica finished: the sum of importer_files_total with outcome "done". */
async function filesDone(replica: DaprApp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${replica.appPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('importer_files_total{') && line.includes('outcome="done"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** A URL import wrote one row per file, and a sample of its objects holds the origin's bytes: throws otherwise. */
async function checkUrlImport(db: TestDatabase, jobId: string, files: number, fileSize: number): Promise<void> {
  const rows = (await db.dataSource.query(`SELECT name, storage_path FROM images WHERE job_id = $1`, [jobId])) as { name: string; storage_path: string }[];
  if (rows.length !== files) throw new Error(`the URL import stored ${rows.length} images of ${files}`);
  await checkSample(rows.map((row) => ({ key: row.storage_path, fileName: row.name })), fileSize);
}

/** From the POST to the job's end as the job records it, or, without its timestamps, until the poll saw it end. */
function jobSeconds(job: JobDetail, postedAt: number): number {
  const created = Date.parse(job.created_at);
  const finished = job.finished_at ? Date.parse(job.finished_at) : Number.NaN;
  if (Number.isFinite(created) && Number.isFinite(finished) && finished >= created) return (finished - created) / 1000;
  return (performance.now() - postedAt) / 1000;
}

/**
 * One import of the benchmark folder in a system of its own (its own database, so nothing of an earlier run is found
 * already imported), measured from the POST to the job's end; the system is stopped before the next one starts.
 */
export async function runImport(settings: ImportSettings): Promise<RunResult> {
  const db = await createTestDatabase('importer_bench');
  let system: RunningSystem | undefined;
  try {
    system = await startSystem({
      replicas: { transfer: settings.transferReplicas },
      ...(settings.pubsubFolder ? { pubsubFolder: settings.pubsubFolder } : {}),
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        ...sourceEnv(settings.source, settings.requestsPerSecond),
        S3_ENDPOINT: localPlatform.minio.endpoint,
        TRANSFER_CONCURRENCY: String(settings.concurrency),
        LOG_LEVEL: 'warn',
      },
    });
    const replicas = everyReplica(system);
    const minioPid = runningDaemon('minio');
    const originPid = settings.source.kind === 'urls' ? settings.source.originPid : undefined;
    const counted: Counted = new Map([
      ...replicas.flatMap((app): [string, () => number][] => [
        [app.name, () => cpuSeconds(app.app?.pid)],
        [`${app.name}'s daprd`, () => cpuSeconds(app.daprd.pid)],
      ]),
      // Transfer's preview renderer runs in a child process of its own.
      ...system.replicas('transfer').map((app): [string, () => number] => [`${app.name}'s previews`, () => childrenCpuSeconds(app.app?.pid)]),
      ['minio', () => cpuSeconds(minioPid)],
      ...SHARED_DAEMONS.map(([name, comm]): [string, () => number] => [name, () => cpuSecondsNamed(comm)]),
      ...(settings.source.kind === 'urls' ? [['url origin', () => cpuSeconds(originPid)] as [string, () => number]] : []),
      [settings.source.kind === 'urls' ? 'bench' : 'bench and emulator', ownCpuSeconds],
      [WHOLE_MACHINE, machineCpuSeconds],
    ]);
    const api = await ApiClient.signedIn('http://127.0.0.1:3000');
    const before = cpuNow(counted);
    const started = performance.now();
    const accepted =
      settings.source.kind === 'urls' ? await api.post('/import/urls', { urls: settings.source.urls }) : await api.post('/import/google-drive', { folder_url: settings.source.folderLink });
    if (accepted.status !== 202) throw new Error(`import refused: ${JSON.stringify(accepted.body)}`);
    // Polled as the web app does, every second; the time is the job's own, from its creation to its end.
    const job = await api.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status), 3_600_000, 1_000);
    const seconds = jobSeconds(job, started);
    const cpu = cpuPerThousand(before, cpuNow(counted), settings.files);
    if (job.status !== 'completed' || job.processed_files !== settings.files) throw new Error(`the import did not complete cleanly: ${JSON.stringify(job)}`);
    const peaks = new Map([
      ...replicas.flatMap((app): [string, number][] => [[app.name, peakMiB(app.app?.pid)], [`${app.name}'s daprd`, peakMiB(app.daprd.pid)]]),
      ['minio', peakMiB(minioPid)],
      ...SHARED_DAEMONS.map(([name, comm]): [string, number] => [name, peakMiBNamed(comm)]),
      ...(originPid === undefined ? [] : [['url origin', peakMiB(originPid)] as [string, number]]),
    ]);
    if (settings.source.kind === 'urls') await checkUrlImport(db, String(job.job_id), settings.files, settings.source.fileSize);
    const [previews] = (await db.dataSource.query(`SELECT count(*) FILTER (WHERE preview_path IS NOT NULL)::int AS made FROM images WHERE job_id = $1`, [job.job_id])) as { made: number }[];
    return {
      round: settings.round,
      transferReplicas: settings.transferReplicas,
      files: settings.files,
      bytes: job.bytes,
      seconds,
      cpuPerThousand: cpu,
      peakMiB: peaks,
      filesByReplica: await Promise.all(system.replicas('transfer').map(filesDone)),
      previewsMade: previews?.made ?? 0,
      cores: availableParallelism(),
      // One request per file: each replica has `concurrency` downloads in flight, each answered after the latency.
      latencyCeiling: settings.latencyMs > 0 ? (settings.transferReplicas * settings.concurrency * 1000) / settings.latencyMs : Number.POSITIVE_INFINITY,
    };
  } finally {
    await system?.stop();
    await db.drop();
  }
}
