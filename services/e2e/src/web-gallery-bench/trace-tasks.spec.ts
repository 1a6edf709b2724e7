import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mainThreadTasks, type TraceEvent } from './trace-tasks.js';

const thread = (pid: number, tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } });
const task = (pid: number, tid: number, ms: number, name = 'RunTask', ts = 0, cpuMs = ms): TraceEvent => ({ name, ph: 'X', pid, tid, ts, dur: ms * 1000, tdur: cpuMs * 1000 });

test("counts only the renderer main thread's tasks, and those over 50 ms as long", () => {
  const events = [
    thread(1, 10, 'CrRendererMain'),
    thread(1, 11, 'Compositor'),
    thread(2, 20, 'CrBrowserMain'),
    task(1, 10, 12),
    task(1, 10, 80, 'RunTask', 100_000, 20),
    task(1, 10, 30, 'MajorGC', 110_000),
    task(1, 10, 50, 'RunTask', 300_000),
    task(1, 11, 300),
    task(2, 20, 400),
  ];
  assert.deepEqual(mainThreadTasks(events), { tasks: 3, longestMs: 80, over50ms: 1, longestCpuMs: 50, over50msCpu: 0, inLongTasks: [{ name: 'MajorGC', ms: 30 }] });
});

test("reads the 'toplevel' task name when the trace has no RunTask, and an empty trace as no task", () => {
  assert.deepEqual(mainThreadTasks([thread(1, 10, 'CrRendererMain'), task(1, 10, 70, 'ThreadControllerImpl::RunTask')]), {
    tasks: 1,
    longestMs: 70,
    over50ms: 1,
    longestCpuMs: 70,
    over50msCpu: 1,
    inLongTasks: [],
  });
  assert.deepEqual(mainThreadTasks([]), { tasks: 0, longestMs: 0, over50ms: 0, longestCpuMs: 0, over50msCpu: 0, inLongTasks: [] });
});
