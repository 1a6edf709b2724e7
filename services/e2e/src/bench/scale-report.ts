/** What one import of the bench measured. */
export interface RunResult {
  round: number;
  transferReplicas: number;
  files: number;
  bytes: number;
  seconds: number;
  /** CPU seconds per 1,000 files by process name (`transfer#1`, `transfer#1's daprd`, `whole machine`…). */
  cpuPerThousand: Map<string, number>;
  /** Peak resident memory by process name, in MiB. */
  peakMiB: Map<string, number>;
  /** Files each transfer replica finished (its importer_files_total), replica 0 first. */
  filesByReplica: number[];
  previewsMade: number;
  /** The machine's cores: whole-machine CPU over wall time and cores says how busy it was. */
  cores: number;
  /** What source latency alone allows: replicas × concurrency answers per latency (Infinity without latency). */
  latencyCeiling: number;
}

export const WHOLE_MACHINE = 'whole machine';

const filesPerSecond = (run: RunResult) => run.files / run.seconds;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '?');
const replicasLabel = (n: number) => `${n} transfer replica${n === 1 ? '' : 's'}`;

/** The lines of one import: throughput, the work of each replica, CPU and peak memory per process. */
export function describeRun(run: RunResult): string[] {
  const mb = run.bytes / 1e6;
  const cpu = [...run.cpuPerThousand].map(([name, seconds]) => `${name} ${fixed(seconds, 2)} s`).join('; ');
  const memory = [...run.peakMiB].map(([name, mib]) => `${name} ${fixed(mib, 0)}`).join('; ');
  const busy = ((run.cpuPerThousand.get(WHOLE_MACHINE) ?? Number.NaN) * run.files) / 1000 / run.seconds / run.cores;
  return [
    `${replicasLabel(run.transferReplicas)}, round ${run.round}: ${run.files} files, ${fixed(mb)} MB in ${fixed(run.seconds)} s: ${fixed(filesPerSecond(run))} files/s, ${fixed(mb / run.seconds)} MB/s`,
    `  the source's latency allows ${fixed(run.latencyCeiling)} files/s; the machine's ${run.cores} cores were ${fixed(busy * 100, 0)}% busy`,
    `  files per transfer replica: ${run.filesByReplica.join(', ')}; previews made by the end: ${run.previewsMade}`,
    `  CPU per 1,000 files: ${cpu}`,
    `  peak memory (MiB): ${memory}`,
  ];
}

/**
 * One line per replica count, the mean over its rounds, and each count's files/s as a multiple of the first count's
 * (`--transfer-replicas 1,3`: files/s(3) / files/s(1)), over the means and round by round.
 */
export function summarize(runs: readonly RunResult[], order: readonly number[]): string[] {
  const byCount = new Map(order.map((n) => [n, runs.filter((run) => run.transferReplicas === n)]));
  const baseline = order[0] as number;
  const baseRate = mean((byCount.get(baseline) ?? []).map(filesPerSecond));
  return order.map((n) => {
    const these = byCount.get(n) ?? [];
    const rate = mean(these.map(filesPerSecond));
    const mbps = mean(these.map((run) => run.bytes / 1e6 / run.seconds));
    const machine = mean(these.map((run) => run.cpuPerThousand.get(WHOLE_MACHINE) ?? Number.NaN));
    const perRound = these.map((run) => {
      const base = runs.find((other) => other.round === run.round && other.transferReplicas === baseline);
      return base ? fixed(filesPerSecond(run) / filesPerSecond(base), 2) : '?';
    });
    const ratio = n === baseline ? '' : `; files/s(${n}) / files/s(${baseline}) = ${fixed(rate / baseRate, 2)}${these.length > 1 ? ` (by round: ${perRound.join(', ')})` : ''}`;
    return `${replicasLabel(n)}: ${fixed(rate)} files/s, ${fixed(mbps)} MB/s, ${fixed(mean(these.map((run) => run.seconds)))} s wall, whole machine ${fixed(machine, 2)} CPU s per 1,000 files${ratio}`;
  });
}
