import { setTimeout as sleep } from 'node:timers/promises';
import { exitingOnSignal, type ManagedProcess, type ProcessSpec, startProcess } from './managed-process.js';

export interface RestartPolicy {
  /** The first wait before a restart; each quick exit after it doubles the wait, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A process that ran this long before exiting starts again after the initial wait, like a pod's reset back-off. */
  resetAfterMs: number;
  /** Told of every exit and restart, in a line a person reads. */
  log: (line: string) => void;
}

export const DEFAULT_RESTART_POLICY: Omit<RestartPolicy, 'log'> = { initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/**
 * A child process that is started again, with back-off, whenever it exits without being asked to stop, as Kubernetes
 * restarts a container; without a policy it runs once.
 */
export class SupervisedProcess {
  private current: ManagedProcess;
  private stopping = false;
  private delayMs: number;
  private restartCount = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly spec: ProcessSpec,
    private readonly policy?: RestartPolicy,
  ) {
    this.delayMs = policy?.initialDelayMs ?? 0;
    this.current = startProcess(spec);
    this.watch();
  }

  /** The process running now (a new one after each restart). */
  get process(): ManagedProcess {
    return this.current;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** Resolves at the next restart. */
  nextRestart(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await this.current.stop(graceMs);
  }

  private watch(): void {
    const policy = this.policy;
    if (!policy) return;
    const watched = this.current;
    const startedAt = Date.now();
    void watched.exited.then(async (code) => {
      // On Ctrl+C every child exits: a restart then would only be killed again at exit, or outlive the launcher.
      if (this.stopping || exitingOnSignal()) return;
      if (Date.now() - startedAt >= policy.resetAfterMs) this.delayMs = policy.initialDelayMs;
      const delay = this.delayMs;
      this.delayMs = Math.min(policy.maxDelayMs, this.delayMs * 2);
      policy.log(`${this.spec.name} exited (${code === null ? 'killed by a signal' : `code ${code}`}); restarting it in ${delay / 1000} s`);
      await sleep(delay);
      if (this.stopping || exitingOnSignal()) return;
      this.current = startProcess(this.spec);
      this.restartCount++;
      policy.log(`${this.spec.name} restarted (restart ${this.restartCount})`);
      for (const resolve of this.waiters) resolve();
      this.waiters.clear();
      this.watch();
    });
  }
}
