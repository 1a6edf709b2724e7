import { runningDaemon } from '@importer/devkit';
import { originFileName } from '@importer/emulators';
import type { BenchOptions } from './bench-options.js';
import { runImport } from './import-run.js';
import { checkSample, countObjects } from './object-check.js';
import { type OriginProcess, startOriginProcess } from './origin-process.js';
import { describePeerRun, importerRun, type PeerRun, summarizePeers } from './peer-report.js';
import { type Counted, cpuNow, cpuPerThousand, cpuSeconds, cpuSecondsNamed, loadAverages, machineCpuSeconds, ownCpuSeconds, peakMiB, peakMiBNamed } from './process-stats.js';
import { ensureRclone, runRclone } from './rclone-run.js';
import { WHOLE_MACHINE } from './scale-report.js';

/** One rclone copy of the origin's files into a fresh prefix, measured like an import and checked the same way. */
async function rcloneRun(rclone: string, origin: OriginProcess, options: BenchOptions, round: number): Promise<PeerRun> {
  const prefix = `bench-rclone/${Date.now()}-round-${round}/`;
  const minioPid = runningDaemon('minio');
  const counted: Counted = new Map([
    ['minio', () => cpuSeconds(minioPid)],
    ['postgresql', () => cpuSecondsNamed('postgres')],
    ['redis', () => cpuSecondsNamed('redis-server')],
    ['url origin', () => cpuSeconds(origin.pid)],
    ['bench', ownCpuSeconds],
    [WHOLE_MACHINE, machineCpuSeconds],
  ]);
  const before = cpuNow(counted);
  const result = await runRclone(rclone, { originUrl: origin.baseUrl, prefix, transfers: options.concurrency });
  const cpu = cpuPerThousand(before, cpuNow(counted), options.files);
  const stored = await countObjects(prefix);
  if (stored !== options.files) throw new Error(`rclone stored ${stored} objects of ${options.files} under ${prefix}`);
  await checkSample(Array.from({ length: options.files }, (_, i) => ({ key: `${prefix}${originFileName(i)}`, fileName: originFileName(i) })), options.fileSize);
  return {
    tool: 'rclone',
    round,
    files: options.files,
    bytes: options.files * options.fileSize,
    seconds: result.seconds,
    cpuPerThousand: new Map([['rclone', (result.cpuSeconds * 1000) / options.files], ...cpu]),
    peakMiB: new Map([
      ['rclone', result.peakMiB],
      ['minio', peakMiB(minioPid)],
      ['postgresql', peakMiBNamed('postgres')],
      ['redis', peakMiBNamed('redis-server')],
      ['url origin', peakMiB(origin.pid)],
    ]),
  };
}

/**
 * The importer's URL-list import against rclone copying the same files from the same origin into the same MinIO,
 * alternating (importer first in odd rounds, rclone first in even ones) so the machine's drift weighs on both alike.
 */
export async function peerBench(options: BenchOptions, say: (line: string) => void): Promise<void> {
  const rclone = await ensureRclone();
  say(`peer: ${rclone}; ${options.files} files of ${options.fileSize} bytes from one HTTP origin answering after ${options.latencyMs} ms, concurrency ${options.concurrency} (rclone --transfers ${options.concurrency}), ${options.rounds} round(s)`);
  const origin = await startOriginProcess(options);
  try {
    say(`load average before: ${loadAverages()}`);
    const runs: PeerRun[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? (['importer', 'rclone'] as const) : (['rclone', 'importer'] as const);
      for (const tool of order) {
        const run =
          tool === 'rclone'
            ? await rcloneRun(rclone, origin, options, round)
            : importerRun(
                await runImport({
                  round,
                  transferReplicas: 1,
                  files: options.files,
                  concurrency: options.concurrency,
                  requestsPerSecond: options.requestsPerSecond,
                  latencyMs: options.latencyMs,
                  source: { kind: 'urls', urls: origin.urls, originPid: origin.pid, fileSize: options.fileSize },
                }),
              );
        runs.push(run);
        for (const line of describePeerRun(run)) say(line);
        say(`  checked: ${run.files} objects stored, a sample's bytes equal the origin's`);
      }
    }
    say(`load average after: ${loadAverages()}`);
    for (const line of summarizePeers(runs, 'rclone')) say(line);
  } finally {
    await origin.close();
  }
}
