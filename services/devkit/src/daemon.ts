import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childEnv, devkitConfig } from './config.js';

export interface DaemonSpec {
  name: string;
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

function pidFile(name: string): string {
  return join(devkitConfig.runDir, `${name}.pid`);
}

export function daemonLogFile(name: string): string {
  return join(devkitConfig.logDir, `${name}.log`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process that outlives the script that started it (placement, scheduler, MinIO); its pid is kept in `.data/run`. */
export function startDaemon(spec: DaemonSpec): number {
  const logFile = daemonLogFile(spec.name);
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(devkitConfig.runDir, { recursive: true });
  const out = openSync(logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: childEnv(spec.env),
    detached: true,
    stdio: ['ignore', out, out],
  });
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  writeFileSync(pidFile(spec.name), String(child.pid));
  return child.pid;
}

/** The pid of a daemon started by `startDaemon` that is still alive. */
export function runningDaemon(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && alive(pid) ? pid : undefined;
}

/** Stops a daemon started by `startDaemon`; true when one was running. */
export async function stopDaemon(name: string, graceMs = 10_000): Promise<boolean> {
  const pid = runningDaemon(name);
  rmSync(pidFile(name), { force: true });
  if (pid === undefined) return false;
  await terminate(pid, { group: true, graceMs });
  return true;
}

/** SIGTERM to `pid` (or its whole process group), then SIGKILL if it is still alive after `graceMs`. */
export async function terminate(pid: number, { group = false, graceMs = 10_000 }: { group?: boolean; graceMs?: number } = {}): Promise<void> {
  const target = group ? -pid : pid;
  process.kill(target, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(target, 'SIGKILL');
}
