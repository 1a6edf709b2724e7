import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { localPlatform } from './local-platform.js';
import type { RunFile } from './run-file.js';

/** A process listening on one of the ports the local platform needs. */
export interface PortHolder {
  port: number;
  pid: number;
  /** The executable's name, from its command line (Node renames its main thread's comm to `MainThread`): `placement`, `daprd`, `node`… */
  name: string;
  /** Its command line, arguments joined by spaces. */
  command: string;
  /** Its working directory, when readable: which checkout it came from. */
  cwd: string | undefined;
  parentPid: number;
  /** The parent's executable name: `node` while the launcher that started a sidecar still runs. */
  parentName: string;
}

const LISTEN = '0A';

/** The listening sockets of a `/proc/net/tcp` or `/proc/net/tcp6` table: each one's port and socket inode. */
export function listeningSockets(table: string): { port: number; inode: string }[] {
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === LISTEN && fields[1] !== undefined && fields[9] !== undefined)
    .map((fields) => ({ port: Number.parseInt((fields[1] ?? '').split(':')[1] ?? '', 16), inode: fields[9] ?? '' }))
    .filter((socket) => Number.isInteger(socket.port) && socket.inode !== '0');
}

/**
 * Every fixed port of the platform: placement, scheduler (with its etcd), Sentry and MinIO, and the apps and sidecars
 * the run file pins. A leftover daemon of another clone on one of them answers in place of this checkout's own.
 */
export function platformPorts(runFile: Pick<RunFile, 'apps'>): number[] {
  const { placement, scheduler, sentry, minio } = localPlatform;
  const ports = [
    placement.port, placement.healthzPort, placement.metricsPort,
    scheduler.port, scheduler.healthzPort, scheduler.metricsPort, scheduler.etcdClientPort, scheduler.etcdPeerPort,
    sentry.port, sentry.healthzPort, sentry.metricsPort,
    minio.port, minio.consolePort,
    ...runFile.apps.flatMap((app) => [app.appPort, app.daprHTTPPort, app.daprGRPCPort]),
  ];
  return [...new Set(ports.filter((port): port is number => port !== undefined))].sort((a, b) => a - b);
}

/** A process's command line as its arguments. */
function argumentsOf(pid: number): string[] {
  return readOr(`/proc/${pid}/cmdline`, (p) => readFileSync(p, 'utf8'))?.split('\0').filter(Boolean) ?? [];
}

function nameOf(pid: number): string {
  const argv0 = argumentsOf(pid)[0];
  return argv0 ? basename(argv0) : (readOr(`/proc/${pid}/comm`, (p) => readFileSync(p, 'utf8'))?.trim() ?? '?');
}

/** The parent pid, field 4 of /proc/<pid>/stat (after the name in parentheses, which may hold spaces). */
function parentOf(pid: number): number {
  const stat = readOr(`/proc/${pid}/stat`, (p) => readFileSync(p, 'utf8')) ?? '';
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0);
}

function readOr(path: string, read: (path: string) => string): string | undefined {
  try {
    return read(path);
  } catch {
    // The process ended while it was read, or is not ours to look into.
    return undefined;
  }
}

/** The processes listening on these ports now, found through /proc (Linux): one entry per port and process. */
export function portHolders(ports: readonly number[]): PortHolder[] {
  const wanted = new Set(ports);
  const portOf = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const socket of listeningSockets(readOr(table, (p) => readFileSync(p, 'utf8')) ?? '')) {
      if (wanted.has(socket.port)) portOf.set(`socket:[${socket.inode}]`, socket.port);
    }
  }
  if (portOf.size === 0) return [];
  const holders = new Map<string, PortHolder>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const pid = Number(entry);
    const fds = readOr(`/proc/${entry}/fd`, (p) => readdirSync(p).join('\n'))?.split('\n') ?? [];
    for (const fd of fds) {
      const port = portOf.get(readOr(`/proc/${entry}/fd/${fd}`, readlinkSync) ?? '');
      if (port === undefined || holders.has(`${port}:${pid}`)) continue;
      const parentPid = parentOf(pid);
      holders.set(`${port}:${pid}`, {
        port,
        pid,
        name: nameOf(pid),
        command: argumentsOf(pid).join(' '),
        cwd: readOr(`/proc/${entry}/cwd`, readlinkSync),
        parentPid,
        parentName: parentPid > 1 ? nameOf(parentPid) : '',
      });
    }
  }
  return [...holders.values()].sort((a, b) => a.port - b.port || a.pid - b.pid);
}

/** The processes a checkout's platform is made of; only these does `npm run stop -- --force` end. */
export const PLATFORM_PROCESS_NAMES: readonly string[] = ['placement', 'scheduler', 'sentry', 'minio', 'daprd'];

export type HolderKind = 'platform' | 'other';

export interface HolderDescription {
  kind: HolderKind;
  fromHere: boolean;
  origin: string;
  /** The launcher (a Node process) that started it and still runs: it would restart what is ended under it. */
  launcher: number | undefined;
}

/**
 * What stop.ts says about a holder: whether it is a platform process, whether it came from this checkout, and whether
 * the launcher that started it still runs (the daemons detach, so an orphan's parent is init or a subreaper).
 */
export function describeHolder(holder: PortHolder, repoRoot: string): HolderDescription {
  const under = (path: string | undefined) => path !== undefined && (path === repoRoot || path.startsWith(`${repoRoot}/`));
  // Sentry's and placement's arguments name only machine-wide paths, so the working directory tells their checkout.
  const fromHere = under(holder.cwd) || holder.command.includes(`${repoRoot}/`);
  return {
    kind: PLATFORM_PROCESS_NAMES.includes(holder.name) ? 'platform' : 'other',
    fromHere,
    origin: holder.cwd ?? 'an unreadable directory',
    launcher: holder.parentPid > 1 && holder.parentName === 'node' ? holder.parentPid : undefined,
  };
}
