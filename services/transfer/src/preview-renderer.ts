import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@importer/observability';
import { describeDuration } from './download-deadline.js';
import { type Preview, PreviewTimedOut, UndecodableImage } from './preview-image.js';

export interface RenderRequest {
  id: number;
  original: Uint8Array;
}

export type RenderReply = { id: number; ok: true; preview: Preview } | { id: number; ok: false; undecodable: boolean; message: string };

/** Lowest scheduling priority: a preview only gets the CPU the transfers leave idle. */
const NICEST = 19;

export interface PreviewRendererOptions {
  /** The longest one render may take: then the child is killed, that preview fails, and the next render starts a new child. */
  timeoutMs: number;
  /** Starts the child; the default forks preview-worker. Tests give a child that never answers. */
  spawn?: () => ChildProcess;
}

interface Waiting {
  child: ChildProcess;
  timer: NodeJS.Timeout;
  resolve: (preview: Preview) => void;
  reject: (error: Error) => void;
}

/**
 * Makes previews in a child process at the lowest CPU priority, so decoding and encoding images never takes CPU
 * from the transfers beside them: previews come "after the transfer" by the kernel's scheduler, not by a timer.
 * A child that dies fails the previews it had, which are retried, and the next one starts a new child. A render
 * that takes longer than `timeoutMs` (an image that decodes within the pixel limit but slowly) fails with
 * PreviewTimedOut, and its child is killed, failing the others it had as a death does.
 */
export class PreviewRenderer {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Waiting>();
  private readonly timeoutMs: number;
  private readonly spawn: () => ChildProcess;

  constructor(
    private readonly log: Logger,
    options: PreviewRendererOptions,
  ) {
    this.timeoutMs = options.timeoutMs;
    this.spawn = options.spawn ?? forkWorker;
  }

  render(original: Buffer): Promise<Preview> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise<Preview>((resolve, reject) => {
      const timer = setTimeout(() => this.timedOut(id, child), this.timeoutMs);
      this.pending.set(id, { child, timer, resolve, reject });
      child.send({ id, original } satisfies RenderRequest, (error) => {
        if (error) this.settle(id, (p) => p.reject(error));
      });
    });
  }

  /** The child's process id, once one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  close(): void {
    this.child?.disconnect();
    this.child = undefined;
  }

  private start(): ChildProcess {
    const child = this.spawn();
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, NICEST);
      } catch (error) {
        this.log.warn('previews run at normal priority: the child could not be reniced', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    child.on('message', (reply: RenderReply) => {
      // Structured clone hands a Buffer back as a plain Uint8Array.
      this.settle(reply.id, (p) =>
        reply.ok
          ? p.resolve({ ...reply.preview, bytes: Buffer.from(reply.preview.bytes.buffer, reply.preview.bytes.byteOffset, reply.preview.bytes.byteLength) })
          : p.reject(reply.undecodable ? new UndecodableImage(reply.message) : new Error(reply.message)),
      );
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      // Only its own renders: those sent to the child started after it are still coming.
      for (const [id, waiting] of [...this.pending]) {
        if (waiting.child === child) this.settle(id, (p) => p.reject(new Error(`the preview process ended (${signal ?? code})`)));
      }
    });
    this.child = child;
    return child;
  }

  /** The render is given up and its child killed, since a child busy decoding cannot be interrupted otherwise. */
  private timedOut(id: number, child: ChildProcess): void {
    this.settle(id, (p) => p.reject(new PreviewTimedOut(`preview_timeout: rendering took longer than ${describeDuration(this.timeoutMs)}`)));
    this.log.warn('a preview took too long: its process is killed and replaced', { timeoutMs: this.timeoutMs, pid: child.pid });
    if (this.child === child) this.child = undefined;
    child.kill('SIGKILL');
  }

  private settle(id: number, action: (p: Waiting) => void): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    action(waiting);
  }
}

/** The preview worker in a child process; Buffers cross as bytes, not as JSON arrays of numbers. */
function forkWorker(): ChildProcess {
  const source = import.meta.url.endsWith('.ts');
  const worker = fileURLToPath(new URL(source ? './preview-worker.ts' : './preview-worker.js', import.meta.url));
  return fork(worker, [], { serialization: 'advanced', execArgv: source ? ['--conditions=source', '--import', 'tsx'] : [], stdio: 'inherit' });
}
