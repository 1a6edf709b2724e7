/** One event of a Chrome trace (the JSON Tracing.end hands back), as far as the bench reads it. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** CPU time of the thread, where the trace has it: a task far longer in `dur` waited for a core, it did not work. */
  tdur?: number;
  args?: { name?: string };
}

export interface TaskSummary {
  /** Top-level tasks of the page's main thread. */
  tasks: number;
  longestMs: number;
  /** Tasks over 50 ms: what Chrome calls a long task. */
  over50ms: number;
  /** The same two by the thread's CPU time. */
  longestCpuMs: number;
  over50msCpu: number;
  /** Within the tasks over 50 ms, the events that took most of them (name and ms summed), longest first. */
  inLongTasks: { name: string; ms: number }[];
}

// The scheduler's top-level task on a thread: 'RunTask' (devtools.timeline) or its 'toplevel' twin.
const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
const LONG_TASK_MS = 50;

/** The tasks that ran on every renderer's main thread (CrRendererMain), the thread a long task blocks. */
export function mainThreadTasks(events: readonly TraceEvent[]): TaskSummary {
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // Both names can wrap one task; counting the outer one of each pair is enough, so take one name: the one present.
  const onMain = events.filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name) && mainThreads.has(`${e.pid}:${e.tid}`));
  const name = onMain.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask';
  const tasks = onMain.filter((e) => e.name === name);
  const durations = tasks.map((e) => (e.dur ?? 0) / 1000);
  const cpu = tasks.map((e) => (e.tdur ?? e.dur ?? 0) / 1000);
  return {
    tasks: durations.length,
    longestMs: Math.max(0, ...durations),
    over50ms: durations.filter((ms) => ms > LONG_TASK_MS).length,
    longestCpuMs: Math.max(0, ...cpu),
    over50msCpu: cpu.filter((ms) => ms > LONG_TASK_MS).length,
    inLongTasks: insideLongTasks(events, tasks.filter((e) => (e.dur ?? 0) / 1000 > LONG_TASK_MS)),
  };
}

/** What ran inside the long tasks: every complete event on their thread within their span, summed by name. */
function insideLongTasks(events: readonly TraceEvent[], long: readonly TraceEvent[]): { name: string; ms: number }[] {
  const sums = new Map<string, number>();
  for (const task of long) {
    const end = task.ts + (task.dur ?? 0);
    for (const e of events) {
      if (e === task || e.ph !== 'X' || TASK_NAMES.has(e.name) || e.pid !== task.pid || e.tid !== task.tid || e.ts < task.ts || e.ts >= end) continue;
      sums.set(e.name, (sums.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    }
  }
  return [...sums].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, 8);
}
