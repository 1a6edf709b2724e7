import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { defineTopic } from '@importer/contracts';
import { type DaprApp, devkitConfig, prepareResources, startDaprApp, waitFor } from '@importer/devkit';
import { createDaprClient, Publisher } from '../../src/index.js';
import { ProbeMessageSchema } from '../fixtures/probe-message.js';
import { fixtureApp, runSuffix } from './fixture-apps.js';

interface Deliveries {
  attempts: Record<string, number>;
  succeeded: string[];
  deadLetters: { id?: string; behaviour?: string }[];
}

/** Deliveries daprd makes of a message that always fails: the first plus the resiliency policy's retries. */
function deliveriesBeforeDeadLetter(): number {
  const resiliency = parse(readFileSync(join(devkitConfig.repoRoot, 'dapr/resiliency.yaml'), 'utf8')) as {
    spec: { policies: { retries: Record<string, { maxRetries: number }> }; targets: { components: { pubsub: { inbound: { retry: string } } } } };
  };
  const policy = resiliency.spec.targets.components.pubsub.inbound.retry;
  const retries = resiliency.spec.policies.retries[policy]?.maxRetries;
  assert.ok(typeof retries === 'number' && retries >= 0, `dapr/resiliency.yaml defines ${policy}.maxRetries`);
  return 1 + retries;
}

const brokers = [
  { name: 'Redis Streams', key: 'redis', folder: 'components/pubsub-redis' },
  { name: 'RabbitMQ', key: 'rabbitmq', folder: 'components/pubsub-rabbitmq' },
];

for (const broker of brokers) {
  describe(`pub/sub on ${broker.name} through a real sidecar`, () => {
    // Fixed ids, so durable queues and consumer groups are reused run after run; message ids keep runs apart.
    const appId = `bb-pubsub-${broker.key}`;
    const topic = defineTopic('bb-probe', ProbeMessageSchema);
    const run = runSuffix();
    const id = (scenario: string) => `${run}-${scenario}`;
    let app: DaprApp;

    const deliveries = async (): Promise<Deliveries> =>
      (await fetch(`http://127.0.0.1:${app.appPort}/fixture/deliveries`)).json() as Promise<Deliveries>;
    const until = <T>(what: string, check: (d: Deliveries) => T | undefined) =>
      waitFor(async () => check(await deliveries()), { what, timeoutMs: 60_000 });

    before(async () => {
      const resources = prepareResources({ from: ['components/common', broker.folder, 'dapr'], scopes: [appId] });
      app = await startDaprApp({ appId, app: fixtureApp('pubsub-probe.app.ts', { PROBE_TOPIC: topic.name }), resourcesPaths: [resources] });
      const client = createDaprClient({ daprHost: '127.0.0.1', daprGrpcPort: app.grpcPort, daprApiToken: app.tokens.daprApiToken });
      const publisher = new Publisher(client);
      await publisher.publish(topic, { id: id('ok'), behaviour: 'ok' });
      await publisher.publish(topic, { id: id('retry'), behaviour: 'fail-twice' });
      await publisher.publish(topic, { id: id('drop'), behaviour: 'permanent' });
      await publisher.publish(topic, { id: id('exhausted'), behaviour: 'always-fail' });
      // Bypasses the publisher's contract check on purpose: the subscriber must cope with what others send.
      const raw = await client.pubsub.publish('pubsub', topic.name, { id: id('malformed'), behaviour: 'explode' });
      assert.equal(raw.error, undefined);
      await client.stop();
    });

    after(async () => {
      await app?.stop();
    });

    test('a message is delivered once', async () => {
      await until('delivery', (d) => (d.succeeded.includes(id('ok')) ? true : undefined));
      assert.equal((await deliveries()).attempts[id('ok')], 1);
    });

    test('a handler answering RETRY gets the message again until it succeeds', async () => {
      await until('the retried message to succeed', (d) => (d.succeeded.includes(id('retry')) ? true : undefined));
      const d = await deliveries();
      assert.equal(d.attempts[id('retry')], 3);
      assert.equal(d.deadLetters.some((m) => m.id === id('retry')), false);
    });

    test('DROP sends the message to the dead-letter topic, where it is recorded', async () => {
      const letter = await until('the dropped message on the dead-letter topic', (d) => d.deadLetters.find((m) => m.id === id('drop')));
      assert.deepEqual(letter, { id: id('drop'), behaviour: 'permanent' });
      assert.equal((await deliveries()).attempts[id('drop')], 1, 'a dropped message is not retried');
    });

    test('a malformed message is dropped to the dead-letter topic with its payload intact', async () => {
      const letter = await until('the malformed message on the dead-letter topic', (d) => d.deadLetters.find((m) => m.id === id('malformed')));
      assert.deepEqual(letter, { id: id('malformed'), behaviour: 'explode' });
      assert.equal((await deliveries()).attempts[id('malformed')], undefined, 'the handler never saw it');
    });

    test('a message that fails every retry reaches the dead-letter topic', async () => {
      const letter = await until('the exhausted message on the dead-letter topic', (d) => d.deadLetters.find((m) => m.id === id('exhausted')));
      assert.deepEqual(letter, { id: id('exhausted'), behaviour: 'always-fail' });
      const d = await deliveries();
      assert.equal(d.attempts[id('exhausted')], deliveriesBeforeDeadLetter());
      assert.equal(d.succeeded.includes(id('exhausted')), false);
    });
  });
}
