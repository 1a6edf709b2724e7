import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmulatorState } from './emulator.state.js';
import { testFaultBook } from './test-faults.fake.js';

const fresh = () => ({ routes: { list: 0, get: 0 }, faultsServed: 0 });
const build = () => new EmulatorState(testFaultBook(), { latencyMs: 20, counters: fresh });

test('the control adds, lists and clears faults in the state\'s book', () => {
  const state = build();
  const control = state.control();
  control.addFaults({ route: 'get', responses: [{ type: 'reset' }] }, { responses: [{ type: 'fail', code: 1 }], repeat: true });
  assert.equal(control.pendingFaults(), 2);
  assert.deepEqual(control.faults().map((f) => f.remaining), [1, null]);
  assert.deepEqual(state.faults.take('get', undefined), { type: 'reset' });
  assert.equal(control.pendingFaults(), 1);
  control.clearFaults();
  assert.deepEqual(control.faults(), []);
});

test('counters are handed out as copies, and reset to fresh ones', () => {
  const state = build();
  const control = state.control();
  state.counters.routes.get += 2;
  const seen = control.counters();
  seen.routes.get = 99;
  assert.equal(control.counters().routes.get, 2);
  control.resetCounters();
  assert.deepEqual(control.counters(), fresh());
});

test('latency changes at run time; reset restores the build-time latency, zero counters and no faults', () => {
  const state = build();
  const control = state.control();
  control.setLatency(500);
  assert.equal(state.latencyMs, 500);
  assert.equal(control.latencyMs(), 500);
  state.counters.faultsServed = 3;
  control.addFaults({ responses: [{ type: 'reset' }] });
  control.reset();
  assert.deepEqual([control.latencyMs(), control.counters(), control.faults()], [20, fresh(), []]);
});
