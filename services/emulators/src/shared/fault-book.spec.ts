import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testFaultBook as book } from './test-faults.fake.js';
const fail = (code: number) => ({ type: 'fail', code }) as const;

test('a rule gives its responses once each, in order, then the normal answer', () => {
  const faults = book();
  faults.add({ route: 'list', responses: [fail(1), fail(2)] });
  assert.deepEqual(faults.take('list', '/a'), fail(1));
  assert.deepEqual(faults.state(), [{ rule: { route: 'list', responses: [fail(1), fail(2)], repeat: false }, remaining: 1 }]);
  assert.deepEqual(faults.take('list', '/a'), fail(2));
  assert.equal(faults.take('list', '/a'), undefined);
  assert.equal(faults.pending(), 0);
});

test('rules match on route and target; a rule with a target never matches a request without one', () => {
  const faults = book();
  faults.add({ route: 'get', path: '/x', responses: [{ type: 'reset' }] });
  assert.equal(faults.take('list', '/x'), undefined);
  assert.equal(faults.take('get', '/y'), undefined);
  assert.equal(faults.take('get', undefined), undefined);
  assert.deepEqual(faults.take('get', '/x'), { type: 'reset' });
});

test('targets are compared after the emulator\'s normalisation', () => {
  const faults = book((path) => path.toLowerCase());
  faults.add({ path: '/Day 1/A.png', responses: [{ type: 'corrupt' }] });
  assert.deepEqual(faults.take('get', '/day 1/a.PNG'), { type: 'corrupt' });
});

test('a repeating rule never runs out; the first matching rule answers; clear empties the book', () => {
  const faults = book();
  faults.add({ path: '/x', responses: [fail(403)], repeat: true }, { responses: [fail(503)] });
  for (let i = 0; i < 5; i++) assert.deepEqual(faults.take('get', '/x'), fail(403));
  assert.deepEqual(faults.state().map((s) => s.remaining), [null, 1]);
  assert.equal(faults.pending(), 2);
  assert.deepEqual(faults.take('list', '/other'), fail(503));
  assert.equal(faults.pending(), 1);
  faults.clear();
  assert.equal(faults.take('get', '/x'), undefined);
  assert.deepEqual(faults.state(), []);
});

test('rules parse with their defaults and shared transport kinds; a malformed one adds nothing', () => {
  const faults = book();
  faults.add({ responses: [{ type: 'resetMidBody' }, { type: 'delay', ms: 3 }] });
  assert.equal(faults.state()[0]?.rule.repeat, false);
  assert.throws(() => faults.add({ responses: [fail(1)] }, { responses: [] }));
  assert.throws(() => faults.add({ responses: [{ type: 'delay', ms: -1 }] }));
  assert.throws(() => faults.add({ route: 'nope' as 'get', responses: [fail(1)] }));
  assert.equal(faults.state().length, 1);
});
