import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express, { type Request, type RequestHandler } from 'express';
import type { RedisReply } from 'rate-limit-redis';
import { createLogger } from '@importer/observability';
import { type AddressLimit, addressRateLimit } from '../../src/http/rate-limits.js';
import { connectRedisCommands } from '../../src/http/redis-commands.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** The test names the client each request comes from, as the gateway's X-Real-IP would. */
const CLIENT_HEADER = 'x-test-client';
const clientAddress = (req: Request) => req.get(CLIENT_HEADER) ?? 'no-client';

type SendCommand = (...args: string[]) => Promise<RedisReply>;

interface Replica {
  /** One request from `client`; the handler behind the limit answers `status`. */
  send(client: string, status?: number): Promise<Response>;
  close(): void;
}

/** An api replica: its own limiter in front of a handler that answers the status it is asked for. */
async function replica(limiter: RequestHandler): Promise<Replica> {
  const app = express();
  app.post('/limited', limiter, (req, res) => {
    res.status(Number(req.query.status ?? 200)).json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    send: async (client, status = 200) => {
      const answer = await fetch(`${base}/limited?status=${status}`, { method: 'POST', headers: { [CLIENT_HEADER]: client } });
      await answer.clone().arrayBuffer();
      return answer;
    },
    close: () => server.close(),
  };
}

/** The deployment's RATE_LIMIT_KEY_PREFIX, as api's default. */
const KEY_PREFIX = 'importer:rate:';

/** A limit of its own for each test: counters in Redis outlive a run until their window ends. */
const freshLimit = (limit: Omit<AddressLimit, 'name' | 'what'>): AddressLimit => ({ name: `test-${randomUUID()}`, what: 'test attempts', ...limit });

const statuses = (answers: Response[]) => answers.map((a) => a.status);

describe('per-address limits, counted in the shared Redis by every api replica', () => {
  const logged: string[] = [];
  const log = createLogger({ service: 'rate-limits-test', write: (line) => logged.push(line) });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let redisA: { sendCommand: SendCommand; close: () => Promise<void> };
  let redisB: { sendCommand: SendCommand; close: () => Promise<void> };
  const replicas: Replica[] = [];

  /** Two replicas of the same limit, each with its own limiter and its own Redis connection. */
  const twoReplicas = async (limit: AddressLimit): Promise<[Replica, Replica]> => {
    const pair = await Promise.all([redisA, redisB].map(({ sendCommand }) => replica(addressRateLimit(limit, { sendCommand, clientAddress, keyPrefix: KEY_PREFIX, log }))));
    replicas.push(...pair);
    return pair as [Replica, Replica];
  };

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    redisA = await connectRedisCommands({ url: REDIS_URL }, log);
    redisB = await connectRedisCommands({ url: REDIS_URL }, log);
  });

  after(async () => {
    for (const r of replicas) r.close();
    await redisA?.close();
    await redisB?.close();
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], 'no promise was left to reject unhandled');
  });

  test('requests spread over two replicas share one count; past it, 429 rate_limited with Retry-After and the limit in words', async () => {
    const limit = freshLimit({ max: 4, windowMs: 60_000 });
    const [a, b] = await twoReplicas(limit);
    const allowed = [await a.send('10.0.0.1'), await b.send('10.0.0.1'), await a.send('10.0.0.1'), await b.send('10.0.0.1')];
    assert.deepEqual(statuses(allowed), [200, 200, 200, 200]);
    for (const refused of [await a.send('10.0.0.1'), await b.send('10.0.0.1')]) {
      assert.equal(refused.status, 429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `Retry-After ${refused.headers.get('retry-after')}`);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.message, `Too many test attempts from this address (at most 4 in 1 min); try again in ${retryAfter} s.`);
    }
  });

  test('another client address keeps its own count', async () => {
    const [a, b] = await twoReplicas(freshLimit({ max: 2, windowMs: 60_000 }));
    assert.deepEqual(statuses([await a.send('10.0.0.2'), await b.send('10.0.0.2'), await a.send('10.0.0.2')]), [200, 200, 429]);
    assert.deepEqual(statuses([await b.send('10.0.0.3'), await a.send('10.0.0.3'), await b.send('10.0.0.3')]), [200, 200, 429]);
  });

  test('two deployments with their own RATE_LIMIT_KEY_PREFIX on one Redis count apart, each under its prefix', async () => {
    const limit = freshLimit({ max: 1, windowMs: 60_000 });
    const prefixes = [`test-${randomUUID()}:`, `test-${randomUUID()}:`];
    const [one, two] = await Promise.all(prefixes.map((keyPrefix) => replica(addressRateLimit(limit, { sendCommand: redisA.sendCommand, clientAddress, keyPrefix, log }))));
    replicas.push(one as Replica, two as Replica);
    assert.deepEqual(statuses([await (one as Replica).send('10.0.0.9'), await (one as Replica).send('10.0.0.9')]), [200, 429]);
    assert.equal((await (two as Replica).send('10.0.0.9')).status, 200, 'the other deployment has its own count');
    for (const prefix of prefixes) assert.equal(await redisA.sendCommand('EXISTS', `${prefix}${limit.name}:10.0.0.9`), 1);
  });

  test('a window shorter than a minute is named in seconds, and Retry-After stays within it', async () => {
    const [a] = await twoReplicas(freshLimit({ max: 1, windowMs: 30_000 }));
    assert.equal((await a.send('10.0.0.4')).status, 200);
    const refused = await a.send('10.0.0.4');
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /\(at most 1 in 30 s\)/);
  });

  test('countFailuresOnly counts only 4xx answers: any number of successes locks nobody out', async () => {
    // One replica: a success's count is taken back when its answer is sent, on the same connection the next count uses.
    const [a] = await twoReplicas(freshLimit({ max: 2, windowMs: 60_000, countFailuresOnly: true }));
    const successes: Response[] = [];
    for (let i = 0; i < 6; i++) successes.push(await a.send('10.0.0.5'));
    assert.deepEqual(statuses(successes), [200, 200, 200, 200, 200, 200]);
    assert.deepEqual(statuses([await a.send('10.0.0.5', 401), await a.send('10.0.0.5', 200), await a.send('10.0.0.5', 401)]), [401, 200, 401]);
    assert.equal((await a.send('10.0.0.5', 200)).status, 429, 'two failures used the limit up: even a success is held off now');
    assert.equal((await a.send('10.0.0.6', 200)).status, 200);
  });

  test('a Redis that never answers holds no request: it passes within about 2 s, and the log says so', async () => {
    logged.length = 0;
    const never: SendCommand = () => new Promise<RedisReply>(() => {});
    const stuck = await replica(addressRateLimit(freshLimit({ max: 1, windowMs: 60_000 }), { sendCommand: never, clientAddress, keyPrefix: KEY_PREFIX, log }));
    replicas.push(stuck);
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      assert.equal((await stuck.send('10.0.0.7')).status, 200);
      assert.ok(Date.now() - started < 3_000, `answered after ${Date.now() - started} ms`);
    }
    assert.ok(
      logged.some((line) => JSON.parse(line).level === 'warn' && /rate limit/i.test(JSON.parse(line).msg)),
      `the store's failure is in the service's log: ${logged.join('\n')}`,
    );
  });

  test('a Redis that refuses every command lets requests through at once', async () => {
    const refusing: SendCommand = () => Promise.reject(new Error('connection refused'));
    const down = await replica(addressRateLimit(freshLimit({ max: 1, windowMs: 60_000 }), { sendCommand: refusing, clientAddress, keyPrefix: KEY_PREFIX, log }));
    replicas.push(down);
    const started = Date.now();
    assert.deepEqual(statuses([await down.send('10.0.0.8'), await down.send('10.0.0.8'), await down.send('10.0.0.8')]), [200, 200, 200]);
    assert.ok(Date.now() - started < 1_000, `answered after ${Date.now() - started} ms`);
  });

  test('a limiter made while Redis was away limits again once Redis answers', async () => {
    let away = true;
    const flaky: SendCommand = (...args) => (away ? Promise.reject(new Error('connection refused')) : redisA.sendCommand(...args));
    const r = await replica(addressRateLimit(freshLimit({ max: 2, windowMs: 60_000 }), { sendCommand: flaky, clientAddress, keyPrefix: KEY_PREFIX, log }));
    replicas.push(r);
    assert.deepEqual(statuses([await r.send('10.0.0.9'), await r.send('10.0.0.9'), await r.send('10.0.0.9')]), [200, 200, 200]);
    away = false;
    assert.deepEqual(statuses([await r.send('10.0.0.9'), await r.send('10.0.0.9'), await r.send('10.0.0.9')]), [200, 200, 429]);
  });
});
