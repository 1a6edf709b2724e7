import { type RunResult, WHOLE_MACHINE } from './scale-report.js';

/** One copy of the files by the importer or its peer, as the peer bench compares them: a run's measures, and which tool made it. */
export type PeerRun = Pick<RunResult, 'round' | 'files' | 'bytes' | 'seconds' | 'cpuPerThousand' | 'peakMiB'> & { tool: string };

export const IMPORTER = 'importer';

export function importerRun(run: RunResult): PeerRun {
  return { tool: IMPORTER, round: run.round, files: run.files, bytes: run.bytes, seconds: run.seconds, cpuPerThousand: run.cpuPerThousand, peakMiB: run.peakMiB };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '?');
const rate = (run: PeerRun) => run.files / run.seconds;
const machine = (run: PeerRun) => run.cpuPerThousand.get(WHOLE_MACHINE) ?? Number.NaN;

/** The lines of one run: throughput, CPU per 1,000 files per process, peak memory per process. */
export function describePeerRun(run: PeerRun): string[] {
  const cpu = [...run.cpuPerThousand].map(([name, seconds]) => `${name} ${fixed(seconds, 2)} s`).join('; ');
  const memory = [...run.peakMiB].map(([name, mib]) => `${name} ${fixed(mib, 0)}`).join('; ');
  return [
    `${run.tool}, round ${run.round}: ${run.files} files, ${fixed(run.bytes / 1e6)} MB in ${fixed(run.seconds)} s: ${fixed(rate(run))} files/s, ${fixed(run.bytes / 1e6 / run.seconds)} MB/s`,
    `  CPU per 1,000 files: ${cpu}`,
    `  peak memory (MiB): ${memory}`,
  ];
}

/**
 * Each tool's means over its rounds, then the importer against the peer: files/s (goal ≥ 1) and whole-machine CPU
 * per file (goal ≤ 1.2), over the means and round by round.
 */
export function summarizePeers(runs: readonly PeerRun[], peer: string): string[] {
  const of = (tool: string) => runs.filter((run) => run.tool === tool);
  const lines = [IMPORTER, peer].map((tool) => {
    const these = of(tool);
    return `${tool}: ${fixed(mean(these.map(rate)))} files/s (${these.map((run) => fixed(rate(run))).join(' / ')}), ${fixed(mean(these.map((run) => run.bytes / 1e6 / run.seconds)))} MB/s, whole machine ${fixed(mean(these.map(machine)), 2)} CPU s per 1,000 files (${these.map((run) => fixed(machine(run), 2)).join(' / ')})`;
  });
  const importer = of(IMPORTER);
  const other = of(peer);
  const byRound = (value: (run: PeerRun) => number) =>
    importer.map((run) => {
      const match = other.find((o) => o.round === run.round);
      return match ? fixed(value(run) / value(match), 2) : '?';
    });
  lines.push(
    `ratio files/s importer / ${peer}: ${fixed(mean(importer.map(rate)) / mean(other.map(rate)), 2)} (by round: ${byRound(rate).join(', ')}; goal ≥ 1)`,
    `ratio whole-machine CPU per file importer / ${peer}: ${fixed(mean(importer.map(machine)) / mean(other.map(machine)), 2)} (by round: ${byRound(machine).join(', ')}; goal ≤ 1.2)`,
  );
  return lines;
}
