import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@importer/observability';
import { type Preview, UndecodableImage } from './preview-image.js';

export interface RenderRequest {
  id: number;
  original: Uint8Array;
}

export type RenderReply = { id: number; ok: true; preview: Preview } | { id: number; ok: false; undecodable: boolean; message: string };

/** Lowest scheduling priority: a preview only gets the CPU the transfers leave idle. */
const NICEST = 19;

/**
 * Makes previews in a child process at the lowest CPU priority, so decoding and encoding images never takes CPU
 * from the transfers beside them: previews come "after the transfer" by the kernel's scheduler, not by a timer.
 * A child that dies fails the previews it had, which are retried, and the next one starts a new child.
 */
export class PreviewRenderer {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (preview: Preview) => void; reject: (error: Error) => void }>();

  constructor(private readonly log: Logger) {}

  render(original: Buffer): Promise<Preview> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise<Preview>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
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
    const source = import.meta.url.endsWith('.ts');
    const worker = fileURLToPath(new URL(source ? './preview-worker.ts' : './preview-worker.js', import.meta.url));
    // Buffers cross as bytes, not as JSON arrays of numbers.
    const child = fork(worker, [], { serialization: 'advanced', execArgv: source ? ['--conditions=source', '--import', 'tsx'] : [], stdio: 'inherit' });
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
      for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(new Error(`the preview process ended (${signal ?? code})`)));
    });
    this.child = child;
    return child;
  }

  private settle(id: number, action: (p: { resolve: (preview: Preview) => void; reject: (error: Error) => void }) => void): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    action(waiting);
  }
}
