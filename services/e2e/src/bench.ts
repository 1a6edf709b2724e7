import { runningDaemon } from '@importer/devkit';
import { buildBenchmarkFolder, DriveModel, startDriveEmulator } from '@importer/emulators';
import { parseBenchOptions, runPlan } from './bench/bench-options.js';
import { directCopy, listFolder } from './bench/direct-copy.js';
import { redisReadAheadFolder } from './bench/pubsub-variant.js';
import { runImport } from './bench/import-run.js';
import { peerBench } from './bench/peer-bench.js';
import { type Counted, cpuNow, cpuPerThousand, cpuSeconds, loadAverages, machineCpuSeconds, ownCpuSeconds } from './bench/process-stats.js';
import { describeRun, type RunResult, summarize } from './bench/scale-report.js';

const options = parseBenchOptions(process.argv.slice(2));
const pubsubFolder = options.pubsubReadAhead ? redisReadAheadFolder(options.pubsubReadAhead) : options.pubsubFolder;
const say = (line: string) => console.log(`[bench] ${line}`);

/** The direct copy's seconds and its CPU per 1,000 files, or nothing under --skip-direct. */
async function timedDirectCopy(rootUrl: string, ids: readonly string[]): Promise<{ seconds: number; cpu: string } | undefined> {
  if (options.skipDirect) return undefined;
  const minioPid = runningDaemon('minio');
  const counted: Counted = new Map([
    ['minio', () => cpuSeconds(minioPid)],
    ['bench and emulator', ownCpuSeconds],
    ['whole machine', machineCpuSeconds],
  ]);
  const before = cpuNow(counted);
  const seconds = await directCopy(rootUrl, ids, options.concurrency);
  const cpu = [...cpuPerThousand(before, cpuNow(counted), ids.length)].map(([name, s]) => `${name} ${s.toFixed(2)} s`).join('; ');
  return { seconds, cpu };
}

async function main(): Promise<void> {
  if (options.peer) {
    await peerBench(options, say);
    if (!options.drive) return;
  }
  const plan = runPlan(options.transferReplicas, options.rounds);
  say(
    `${options.files} files of ${options.fileSize} bytes, ${options.latencyMs} ms emulated latency, transfer concurrency ${options.concurrency} per replica, ` +
      `request budget ${options.requestsPerSecond}/s${pubsubFolder ? `, pub/sub from ${pubsubFolder}` : ''}; imports in this order: ${plan.map((run) => `${run.transferReplicas} replica(s)`).join(', ')}`,
  );
  say(`load average before: ${loadAverages()}`);
  const model = new DriveModel('benchmark');
  const folder = buildBenchmarkFolder({ count: options.files, fileSize: options.fileSize }, model).folder;
  const drive = await startDriveEmulator({ model, latencyMs: options.latencyMs, perFileCounters: false });
  try {
    const ids = await listFolder(drive.rootUrl, folder.item.id);
    // The direct copy runs before the first import and after the last, and their mean is compared: this machine's speed drifts.
    const directBefore = await timedDirectCopy(drive.rootUrl, ids);
    const runs: RunResult[] = [];
    for (const planned of plan) {
      const run = await runImport({ ...planned, files: options.files, concurrency: options.concurrency, requestsPerSecond: options.requestsPerSecond, latencyMs: options.latencyMs, pubsubFolder, source: { kind: 'drive', driveRootUrl: drive.rootUrl, folderLink: folder.link } });
      runs.push(run);
      for (const line of describeRun(run)) say(line);
    }
    say(`load average after: ${loadAverages()}`);
    for (const line of summarize(runs, options.transferReplicas)) say(line);
    const directAfter = await timedDirectCopy(drive.rootUrl, ids);
    if (directBefore && directAfter) {
      const seconds = (directBefore.seconds + directAfter.seconds) / 2;
      const mb = (runs[0]?.bytes ?? 0) / 1e6;
      say(
        `direct copy: ${(options.files / seconds).toFixed(1)} files/s, ${(mb / seconds).toFixed(1)} MB/s, mean of ${directBefore.seconds.toFixed(1)} s before and ${directAfter.seconds.toFixed(1)} s after the imports (same files, concurrency ${options.concurrency}, no Dapr, no database)`,
      );
      say(`CPU per 1,000 files, direct copy (before the imports): ${directBefore.cpu}`);
      for (const n of options.transferReplicas) {
        const these = runs.filter((run) => run.transferReplicas === n);
        const rate = these.reduce((sum, run) => sum + run.files / run.seconds, 0) / these.length;
        say(`ratio: ${n} transfer replica(s) ${(rate / (options.files / seconds)).toFixed(2)} of the direct copy's files/s`);
      }
    }
  } finally {
    await drive.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
