import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { localPlatform, localS3Client, runningDaemon, startSystem } from '@importer/devkit';
import { buildBenchmarkFolder, DriveModel, startDriveEmulator } from '@importer/emulators';
import { ApiClient, ENDED } from './api-client.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    'latency-ms': { type: 'string', default: '20' },
    'file-size': { type: 'string', default: String(64 * 1024) },
    'skip-direct': { type: 'boolean', default: false },
  },
});
const files = Number(values.files);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values['latency-ms']);
const fileSize = Number(values['file-size']);
const { minio } = localPlatform;

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) a process has used so far, in seconds; /proc counts in USER_HZ, which Linux fixes at 100. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** This process's CPU time in seconds: the emulator, and in the direct copy its S3 client too. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** CPU time every core of the machine has been busy so far, in seconds (PostgreSQL, Redis and the preview child included). */
function machineCpuSeconds(): number {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** The processes whose CPU time is counted, each with its reader: on a 2-core machine CPU, not waiting, sets the pace of both copies. */
type Counted = Map<string, () => number>;

function cpuNow(processes: Counted): Map<string, number> {
  return new Map([...processes].map(([name, read]) => [name, read()]));
}

/** CPU seconds each process spent per 1,000 files between two readings. */
function cpuPerThousand(before: Map<string, number>, after: Map<string, number>, count: number): string {
  return [...after]
    .map(([name, seconds]) => `${name} ${(((seconds - (before.get(name) ?? 0)) * 1000) / count).toFixed(2)} s`)
    .join('; ');
}

/**
 * Every file id of the folder, listed with md5Checksum: the emulator computes an md5 by generating the file, which
 * Drive does once at upload, so listing once before anything is timed keeps that cost out of both measurements.
 */
async function listFolder(rootUrl: string, folderId: string): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const url = new URL('drive/v3/files', rootUrl);
    url.search = new URLSearchParams({
      q: `'${folderId}' in parents and trashed = false`,
      pageSize: '1000',
      fields: 'nextPageToken,files(id,md5Checksum)',
      key: 'bench',
      ...(pageToken ? { pageToken } : {}),
    }).toString();
    const page = (await (await fetch(url)).json()) as { files: { id: string }[]; nextPageToken?: string };
    ids.push(...page.files.map((f) => f.id));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}

/** The same files, emulator to MinIO with @aws-sdk/client-s3, same concurrency: no Dapr, no database. */
async function directCopy(rootUrl: string, ids: readonly string[]): Promise<number> {
  const s3 = localS3Client();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const response = await fetch(new URL(`drive/v3/files/${id}?alt=media&key=bench`, rootUrl));
        const body = Buffer.from(await response.arrayBuffer());
        await s3.send(new PutObjectCommand({ Bucket: minio.bucket, Key: `bench-direct/${id}`, Body: body, ContentType: 'image/png' }));
      }
    }),
  );
  s3.destroy();
  return (performance.now() - started) / 1000;
}

/** Waits until no image of the job is still without its preview (or the count stops moving for a minute). */
async function waitForPreviews(db: TestDatabase, jobId: string): Promise<{ made: number; seconds: number }> {
  const started = performance.now();
  const count = async () =>
    ((await db.dataSource.query(`SELECT count(*) FILTER (WHERE preview_path IS NOT NULL)::int AS made, count(*)::int AS total FROM images WHERE job_id = $1`, [jobId])) as {
      made: number;
      total: number;
    }[])[0] ?? { made: 0, total: 0 };
  let last = await count();
  let lastChange = performance.now();
  while (last.made < last.total && performance.now() - lastChange < 60_000) {
    await sleep(500);
    const now = await count();
    if (now.made !== last.made) lastChange = performance.now();
    last = now;
  }
  return { made: last.made, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  console.log(`[bench] ${files} files of ${fileSize} bytes, ${latencyMs} ms emulated latency, transfer concurrency ${concurrency}`);
  const db = await createTestDatabase('importer_bench');
  const model = new DriveModel('benchmark');
  const folder = buildBenchmarkFolder({ count: files, fileSize }, model).folder;
  const drive = await startDriveEmulator({ model, latencyMs, perFileCounters: false });
  const ids = await listFolder(drive.rootUrl, folder.item.id);
  const system = await startSystem({
    env: {
      DATABASE_URL: db.url,
      GOOGLE_API_KEY: 'bench',
      GOOGLE_API_ROOT_URL: drive.rootUrl,
      // The emulator has no quota; the real Drive allows about 200 requests/s for a project.
      GOOGLE_REQUESTS_PER_SECOND: '100000',
      S3_ENDPOINT: minio.endpoint,
      TRANSFER_CONCURRENCY: String(concurrency),
      LOG_LEVEL: 'warn',
    },
  });
  const minioPid = runningDaemon('minio');
  const counted: Counted = new Map([
    ...[...system.apps.values()].flatMap((app): [string, () => number][] => [
      [app.appId, () => cpuSeconds(app.app?.pid)],
      [`${app.appId}'s daprd`, () => cpuSeconds(app.daprd.pid)],
    ]),
    ['minio', () => cpuSeconds(minioPid)],
    ['bench and emulator', ownCpuSeconds],
    ['whole machine', machineCpuSeconds],
  ]);
  const directCounted: Counted = new Map([
    ['minio', () => cpuSeconds(minioPid)],
    ['bench and emulator', ownCpuSeconds],
    ['whole machine', machineCpuSeconds],
  ]);
  try {
    // The direct copy runs before and after the import, and their mean is compared: this machine's speed drifts.
    const directCpuBefore = cpuNow(directCounted);
    const directBefore = values['skip-direct'] ? undefined : await directCopy(drive.rootUrl, ids);
    const directCpu = cpuPerThousand(directCpuBefore, cpuNow(directCounted), files);
    const importCpuBefore = cpuNow(counted);
    const api = new ApiClient('http://127.0.0.1:3000');
    const started = performance.now();
    const accepted = await api.post('/import/google-drive', { folder_url: folder.link });
    if (accepted.status !== 202) throw new Error(`import refused: ${JSON.stringify(accepted.body)}`);
    const job = await api.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status), 3_600_000);
    const seconds = (performance.now() - started) / 1000;
    if (job.status !== 'completed' || job.processed_files !== files) throw new Error(`the import did not complete cleanly: ${JSON.stringify(job)}`);
    const memory = [...system.apps.values()].map((app) => `${app.appId} ${peakMiB(app.app?.pid).toFixed(0)} MiB (its daprd ${peakMiB(app.daprd.pid).toFixed(0)} MiB)`);
    const mb = job.bytes / 1e6;
    console.log(`[bench] importer:    ${files} files, ${mb.toFixed(1)} MB in ${seconds.toFixed(1)} s: ${(files / seconds).toFixed(1)} files/s, ${(mb / seconds).toFixed(1)} MB/s`);
    console.log(`[bench] peak memory: ${memory.join('; ')}`);
    console.log(`[bench] CPU per 1,000 files, importer: ${cpuPerThousand(importCpuBefore, cpuNow(counted), files)}`);
    // Previews are made after each transfer, beside it; the backlog drains before the second direct copy is timed.
    const previewsDone = await waitForPreviews(db, String(accepted.body.job_id));
    console.log(`[bench] previews:    ${previewsDone.made} of ${files} made, the last ${previewsDone.seconds.toFixed(1)} s after the import ended`);
    if (directBefore !== undefined) {
      const directAfter = await directCopy(drive.rootUrl, ids);
      const direct = (directBefore + directAfter) / 2;
      console.log(
        `[bench] direct copy: ${(files / direct).toFixed(1)} files/s, ${(mb / direct).toFixed(1)} MB/s, mean of ${directBefore.toFixed(1)} s before and ${directAfter.toFixed(1)} s after the import (same files, concurrency ${concurrency}, no Dapr, no database)`,
      );
      console.log(`[bench] CPU per 1,000 files, direct copy (before the import): ${directCpu}`);
      console.log(`[bench] ratio:       ${((files / seconds) / (files / direct)).toFixed(2)} of the direct copy's files/s`);
    }
  } finally {
    await system.stop();
    await drive.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
