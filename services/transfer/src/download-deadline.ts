import { Readable } from 'node:stream';
import { type OpenedFile, SourceError } from '@importer/providers';

/** How long one download may take. */
export interface DownloadLimits {
  /** From asking the source for the file to its last byte. */
  timeoutMs: number;
  /** Waiting for the next chunk of a body that is being read. */
  idleTimeoutMs: number;
}

/** A duration as a reason shows it: 200 ms, 1.5 s, 60 s, 10 min. */
export function describeDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1_000).toFixed(1))} s`;
}

/** `${reason}: ${message}` of an abort's reason, as a file's outcome records it. */
export function abortReasonText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof SourceError) return `${reason.reason}: ${reason.message}`;
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * The clocks of one download. `signal` aborts when the download has taken longer than `timeoutMs` in all
 * (download_timeout), when a body being read has sent nothing for `idleTimeoutMs` (download_stalled), or when
 * `parent` (the batch's deadline) aborts; its reason is a retryable SourceError saying which, or the parent's. The
 * source closes the connection on that signal, and so does `end` for a body left unread.
 */
export class DownloadDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly total: NodeJS.Timeout;
  private idle: NodeJS.Timeout | undefined;
  private body: Readable | undefined;
  private finished = false;

  constructor(
    private readonly limits: DownloadLimits,
    parent?: AbortSignal,
  ) {
    this.signal = parent ? AbortSignal.any([this.controller.signal, parent]) : this.controller.signal;
    this.total = setTimeout(
      () => this.abort(new SourceError('transient', 'download_timeout', `the download took longer than ${describeDuration(limits.timeoutMs)}`)),
      limits.timeoutMs,
    );
    // A source that missed the signal still stops: its stream is destroyed with the reason.
    this.signal.addEventListener('abort', () => this.body?.destroy(this.signal.reason as Error), { once: true });
  }

  /** The opened file, or the abort's reason as soon as the deadline passes; a file that opens after that is closed. */
  open(opening: Promise<OpenedFile>): Promise<OpenedFile> {
    return this.unlessAborted(opening, (late) => late.stream.destroy());
  }

  /**
   * The body as it comes, with the idle clock running only while its reader waits for the next chunk (an upload
   * that is slow to take bytes is not the source stalling). Its end stops both clocks: the download is over.
   */
  watch(source: Readable): Readable {
    this.body = source;
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const chunks = async function* (this: DownloadDeadline) {
      for (;;) {
        this.armIdle();
        let next: IteratorResult<Buffer>;
        try {
          next = await this.unlessAborted(iterator.next());
        } finally {
          clearTimeout(this.idle);
        }
        if (next.done) {
          this.finished = true;
          clearTimeout(this.total);
          return;
        }
        yield next.value;
      }
    }.call(this);
    return Readable.from(chunks, { objectMode: false });
  }

  /** Stops the clocks; a body not read to its end is destroyed, which closes its connection. */
  end(): void {
    clearTimeout(this.total);
    clearTimeout(this.idle);
    if (this.body && !this.finished && !this.body.destroyed) this.body.destroy();
  }

  /** `work`, or the abort's reason at once: a stream whose destroy hangs must not hold the download. */
  private unlessAborted<T>(work: Promise<T>, discard?: (late: T) => void): Promise<T> {
    const { signal } = this;
    const late = () => void work.then((value) => discard?.(value), () => {});
    if (signal.aborted) {
      late();
      return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        late();
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private armIdle(): void {
    const { idleTimeoutMs } = this.limits;
    this.idle = setTimeout(() => this.abort(new SourceError('transient', 'download_stalled', `no data for ${describeDuration(idleTimeoutMs)}`)), idleTimeoutMs);
  }

  private abort(reason: SourceError): void {
    clearTimeout(this.total);
    clearTimeout(this.idle);
    this.controller.abort(reason);
  }
}
