import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childEnv } from './config.js';

export interface ProcessSpec {
  /** A short name for logs and errors: `actor-app`, `daprd:actor-app`. */
  name: string;
  command: string;
  args?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Every line the process writes, stdout and stderr, is appended here. */
  logFile: string;
  /** Also print its output to this process's stdout, each line prefixed `[prefix]`. */
  echoPrefix?: string;
}

const TAIL_BYTES = 64 * 1024;
const live = new Set<ManagedProcess>();
let exiting = false;

/** True once this process got SIGINT or SIGTERM and is stopping its children: none of them is to be started again. */
export function exitingOnSignal(): boolean {
  return exiting;
}

/**
 * A child process in its own process group, so that stopping it also stops whatever it spawned
 * (tsx, for one, runs the app in a child node process). Every live one is killed when this process exits.
 */
export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private tail = '';
  private exitCode: number | null | undefined;

  constructor(spec: ProcessSpec) {
    this.name = spec.name;
    this.logFile = spec.logFile;
    mkdirSync(dirname(spec.logFile), { recursive: true });
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
    this.child = spawn(spec.command, spec.args ?? [], {
      cwd: spec.cwd,
      env: childEnv(spec.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const capture = (chunk: Buffer) => {
      // Output can still arrive after 'exit' (stdio closes later); the log ends only once it has all of it.
      if (!this.log.writableEnded) this.log.write(chunk);
      const text = chunk.toString('utf8');
      this.tail = (this.tail + text).slice(-TAIL_BYTES);
      if (spec.echoPrefix) process.stdout.write(text.replace(/^(?=.)/gm, `[${spec.echoPrefix}] `));
    };
    this.child.stdout?.on('data', capture);
    this.child.stderr?.on('data', capture);
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        capture(Buffer.from(`[devkit] could not start ${spec.command}: ${error.message}\n`));
        this.exitCode = null;
        live.delete(this);
        resolve(null);
      });
      this.child.once('exit', (code, signal) => {
        capture(Buffer.from(`[devkit] ${this.name} exited with ${signal ?? `code ${code}`}\n`));
        this.exitCode = code;
        live.delete(this);
        resolve(code);
      });
    });
    this.child.once('close', () => this.log.end());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last 64 KiB of output. */
  output(): string {
    return this.tail;
  }

  /** Sends a signal to the whole process group at once (SIGKILL simulates a crash). */
  signal(signal: NodeJS.Signals): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone between the check and the kill.
    }
  }

  /** SIGTERM, then SIGKILL if the group has not exited within the grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const exitedInTime = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!exitedInTime) {
      this.signal('SIGKILL');
      await this.exited;
    }
  }
}

export function startProcess(spec: ProcessSpec): ManagedProcess {
  return new ManagedProcess(spec);
}

/** Stops every process started here that is still running. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

process.once('exit', () => {
  for (const p of live) p.signal('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    exiting = true;
    void stopAllProcesses().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
  });
}
