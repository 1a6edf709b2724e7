import type { FaultOutcome } from './import-through-fault.js';

const seconds = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '?' : value.toFixed(1));

/** The reference figure: one import of the same size with no fault. */
export function printBaseline(outcome: FaultOutcome): void {
  console.log(`[faults] no fault: ${outcome.job.total_files} files imported in ${seconds(outcome.importSeconds)} s (job ${outcome.job.status})`);
}

/** One line per fault, printed as soon as its job ends, so a fault whose checks then fail still gives its figure. */
export function printFaultFigure(label: string, outcome: FaultOutcome, baselineSeconds: number | undefined): void {
  console.log(
    `[faults] ${label}: ${seconds(outcome.secondsFromFault)} s from fault to job end (struck at ${outcome.importedAtFault} files, job ${outcome.job.status}); ` +
      `import without fault ~${seconds(baselineSeconds)} s`,
  );
}

/** The line for a fault whose job did not end in time: that is the figure too. */
export function printNoEnd(label: string, error: unknown): void {
  console.log(`[faults] ${label}: the job did not end (${(error as Error).message.split('\n')[0]})`);
}
