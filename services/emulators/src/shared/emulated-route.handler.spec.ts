import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Request } from 'express';
import { type EmulatedRoute, routeHandler } from './emulated-route.handler.js';
import { EmulatorState } from './emulator.state.js';
import { fakeResponse } from './response.fake.js';
import { testFaultBook } from './test-faults.fake.js';
import type { BodyFault } from './transport-faults.js';

class Refused extends Error {}

/** A pipeline over a fresh state, recording what it did in `log`. */
function pipeline(options: { latencyMs?: number; authorized?: boolean } = {}) {
  const log: string[] = [];
  const state = new EmulatorState(testFaultBook(), { latencyMs: options.latencyMs ?? 0, counters: () => ({ routes: { list: 0, get: 0 }, faultsServed: 0 }) });
  const handle = routeHandler({
    state,
    authorize: (_req, route) => {
      log.push(`authorize ${route}`);
      if (options.authorized === false) throw new Refused('no key');
    },
    countTarget: (route, target) => log.push(`count ${route} ${target}`),
    faultError: (fault) => new Refused(`fail ${fault.code}`),
    fail: (res, error) => {
      log.push(`fail ${error instanceof Refused ? error.message : 'other'}`);
      res.status(500).end();
    },
  });
  const route = (answer: (bodyFault: BodyFault | undefined) => void = () => {}): EmulatedRoute<'list' | 'get'> => ({
    route: () => 'get',
    target: (req) => {
      if (req.query.bad) throw new Error('unreadable');
      return '/a';
    },
    answer: (_req, res, bodyFault) => {
      log.push(`answer ${bodyFault?.type ?? 'normal'}`);
      answer(bodyFault);
      res.end();
    },
  });
  const run = async (emulated: EmulatedRoute<'list' | 'get'>, query: Record<string, string> = {}) => {
    const fake = fakeResponse();
    await handle(emulated)({ query } as unknown as Request, fake.res, () => {});
    return fake;
  };
  return { log, state, route, run };
}

test('a request is counted with its target, authorized, then answered', async () => {
  const { log, state, route, run } = pipeline();
  await run(route());
  assert.deepEqual(log, ['count get /a', 'authorize get', 'answer normal']);
  assert.deepEqual(state.counters, { routes: { list: 0, get: 1 }, faultsServed: 0 });
});

test('a request whose target cannot be read names none, and is still answered', async () => {
  const { log, route, run } = pipeline();
  await run(route(), { bad: '1' });
  assert.deepEqual(log, ['count get undefined', 'authorize get', 'answer normal']);
});

test('an unauthorized request is counted but gets no fault and no answer', async () => {
  const { log, state, route, run } = pipeline({ authorized: false });
  state.faults.add({ responses: [{ type: 'fail', code: 1 }] });
  await run(route());
  assert.deepEqual(log, ['count get /a', 'authorize get', 'fail no key']);
  assert.equal(state.faults.pending(), 1);
});

test('the emulator\'s own fault kinds go out through its fail, counted as served', async () => {
  const { log, state, route, run } = pipeline();
  state.faults.add({ responses: [{ type: 'fail', code: 429 }] });
  await run(route());
  assert.deepEqual(log.slice(-1), ['fail fail 429']);
  assert.equal(state.counters.faultsServed, 1);
});

test('a reset drops the connection without an answer', async () => {
  const { log, state, route, run } = pipeline();
  state.faults.add({ responses: [{ type: 'reset' }] });
  const fake = await run(route());
  assert.ok(fake.destroyed());
  assert.ok(!log.some((line) => line.startsWith('answer')));
});

test('body faults are handed to the answer; a delay and the latency wait before it', async () => {
  const { log, state, route, run } = pipeline({ latencyMs: 30 });
  state.faults.add({ responses: [{ type: 'corrupt' }, { type: 'resetMidBody', afterBytes: 1 }, { type: 'delay', ms: 40 }] });
  await run(route());
  await run(route());
  const started = Date.now();
  await run(route());
  assert.ok(Date.now() - started >= 65, 'latency plus delay');
  assert.deepEqual(log.filter((line) => line.startsWith('answer')), ['answer corrupt', 'answer resetMidBody', 'answer normal']);
  assert.equal(state.counters.faultsServed, 3);
});

test('an answer that throws is sent by the emulator\'s fail', async () => {
  const { log, route, run } = pipeline();
  await run(route(() => {
    throw new Refused('not found');
  }));
  assert.deepEqual(log.slice(-1), ['fail not found']);
});
