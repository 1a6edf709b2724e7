/**
 * The files this process is working on now, each under one key, with the promise of what became of it. A delivery
 * of a batch that daprd or Redis hands over again while the first is still running finds its files here and waits
 * for that attempt, instead of downloading and uploading the same file beside it.
 */
export class InFlightRegistry<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** The key of a job's file: the same file of another job is another transfer. */
  static keyOf(jobId: string, sourceFileId: string): string {
    return `${jobId}\u0000${sourceFileId}`;
  }

  /** What the attempt running under `key` will come to, or undefined when none runs. */
  joining(key: string): Promise<T> | undefined {
    return this.running.get(key);
  }

  /** Holds `key` until `outcome` settles; meanwhile `joining(key)` hands it out. */
  take(key: string, outcome: Promise<T>): void {
    if (this.running.has(key)) throw new Error(`${key} is already in flight`);
    this.running.set(key, outcome);
    const release = () => {
      if (this.running.get(key) === outcome) this.running.delete(key);
    };
    outcome.then(release, release);
  }

  /** Files in flight now. */
  get size(): number {
    return this.running.size;
  }
}
