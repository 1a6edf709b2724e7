import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DaprPubSubStatusEnum } from '@dapr/dapr';
import { z } from 'zod';
import { defineTopic } from '@importer/contracts';
import { createLogger } from '@importer/observability';
import { PermanentError } from './errors.js';
import { guardHandler } from './subscriptions.js';

const topic = defineTopic('unit-topic', z.object({ n: z.number() }));
const lines: string[] = [];
const log = createLogger({ service: 'spec', write: (line) => lines.push(line) });

test('a handler that resolves acknowledges the message', async () => {
  const seen: number[] = [];
  const callback = guardHandler(topic, async (m) => void seen.push(m.n), log);
  assert.equal(await callback({ n: 7 }), DaprPubSubStatusEnum.SUCCESS);
  assert.deepEqual(seen, [7]);
});

test('a malformed message is dropped without reaching the handler', async () => {
  let called = false;
  const callback = guardHandler(topic, async () => void (called = true), log);
  assert.equal(await callback({ n: 'seven' }), DaprPubSubStatusEnum.DROP);
  assert.equal(called, false);
  assert.match(lines.at(-1) ?? '', /"msg":"dropping a malformed message".*"topic":"unit-topic"/);
});

test('a PermanentError drops, any other error retries: nothing is thrown into the SDK', async () => {
  const permanent = guardHandler(topic, async () => Promise.reject(new PermanentError('never')), log);
  const transient = guardHandler(topic, async () => Promise.reject(new Error('later')), log);
  const throwsSync = guardHandler(topic, () => { throw new TypeError('bug'); }, log);
  assert.equal(await permanent({ n: 1 }), DaprPubSubStatusEnum.DROP);
  assert.equal(await transient({ n: 1 }), DaprPubSubStatusEnum.RETRY);
  assert.equal(await throwsSync({ n: 1 }), DaprPubSubStatusEnum.RETRY);
});
