import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident memory of a process (VmHWM), in MiB; NaN once it is gone. */
export function peakMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a process has used so far, in seconds; /proc counts in USER_HZ, which Linux fixes at 100. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The live child processes of a process (transfer's preview renderer), from every thread's children list. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      try {
        return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** CPU seconds of a process's children: the live ones and, through its cutime and cstime, those it has reaped. */
export function childrenCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const own = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
    const reaped = (Number(own[13]) + Number(own[14])) / 100;
    return childPids(pid).reduce((sum, child) => sum + (cpuSeconds(child) || 0), reaped);
  } catch {
    return Number.NaN;
  }
}

/** This process's CPU time in seconds: the emulator, and in the direct copy its S3 client too. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** CPU time every core of the machine has been busy so far, in seconds (PostgreSQL, Redis and the preview child included). */
export function machineCpuSeconds(): number {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** The machine's load averages over 1, 5 and 15 minutes, as uptime prints them. */
export function loadAverages(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ');
}

/** The processes whose CPU time is counted, each with its reader, by a name a person reads. */
export type Counted = Map<string, () => number>;

export function cpuNow(processes: Counted): Map<string, number> {
  return new Map([...processes].map(([name, read]) => [name, read()]));
}

/** CPU seconds each process spent per 1,000 files between two readings. */
export function cpuPerThousand(before: Map<string, number>, after: Map<string, number>, count: number): Map<string, number> {
  return new Map([...after].map(([name, seconds]) => [name, ((seconds - (before.get(name) ?? 0)) * 1000) / count]));
}

/** The pids of every live process whose command name (`comm`) is this one: PostgreSQL runs one per connection. */
export function pidsNamed(comm: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * CPU seconds of every process of that name, with what their exited children used (a PostgreSQL connection that
 * closed is counted in its postmaster's), so backends that come and go between readings are not lost.
 */
export function cpuSecondsNamed(comm: string): number {
  return pidsNamed(comm).reduce((sum, pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return sum + (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
      return sum;
    }
  }, 0);
}

/** The largest VmHWM among the processes of that name, in MiB. */
export function peakMiBNamed(comm: string): number {
  const peaks = pidsNamed(comm).map(peakMiB).filter(Number.isFinite);
  return peaks.length > 0 ? Math.max(...peaks) : Number.NaN;
}
