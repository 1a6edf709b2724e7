import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ActorId, ActorProxyBuilder, CommunicationProtocolEnum, DaprClient } from '@dapr/dapr';
import { type DaprApp, prepareResources, startDaprApp, waitFor } from '@importer/devkit';
import { CounterActor } from '../fixtures/counter.actor.js';
import { fixtureApp, runSuffix } from './fixture-apps.js';

interface ProcessStats {
  pid: number;
  activations: Record<string, number>;
  deactivations: Record<string, number>;
}

describe('actors through a real sidecar, placement and scheduler', () => {
  const appId = `bb-actors-${runSuffix()}`;
  let app: DaprApp;
  let client: DaprClient;

  const counter = (id: string) => new ActorProxyBuilder<CounterActor>(CounterActor, client).build(new ActorId(id));
  const stats = async (): Promise<ProcessStats> => (await fetch(`http://127.0.0.1:${app.appPort}/fixture/stats`)).json() as Promise<ProcessStats>;

  before(async () => {
    const resources = prepareResources({ from: ['components/common', 'dapr'], scopes: [appId] });
    app = await startDaprApp({ appId, app: fixtureApp('counter-actor.app.ts', { ACTOR_IDLE_TIMEOUT: '3s' }), resourcesPaths: [resources] });
    client = new DaprClient({ daprHost: '127.0.0.1', daprPort: String(app.httpPort), communicationProtocol: CommunicationProtocolEnum.HTTP, daprApiToken: app.tokens.daprApiToken });
    // The actor type is routable once placement has handed this sidecar its table.
    await waitFor(async () => (await counter(`warm-up-${appId}`).get()) === 0 || undefined, { what: 'placement to route CounterActor', timeoutMs: 30_000 });
  });

  after(async () => {
    await app?.stop();
  });

  test('a method call persists state across deactivation', async () => {
    const id = `persist-${appId}`;
    const actor = counter(id);
    assert.equal(await actor.increment(2), 2);
    assert.equal(await actor.increment(3), 5);
    assert.equal((await stats()).activations[id], 1);

    await waitFor(async () => ((await stats()).deactivations[id] === 1 ? true : undefined), {
      what: 'the idle actor to be deactivated',
      timeoutMs: 30_000,
    });

    assert.equal(await actor.get(), 5, 'the count is read back from the state store after reactivation');
    assert.equal((await stats()).activations[id], 2, 'the call activated a fresh instance');
  });

  test('a reminder fires through the scheduler', async () => {
    const actor = counter(`remind-${appId}`);
    await actor.remind({ name: 'once', dueMs: 1_000 });
    const fires = await waitFor(async () => ((await actor.fires('once')) || undefined), {
      what: 'the reminder to fire',
      timeoutMs: 30_000,
    });
    assert.equal(fires, 1);
  });

  test('an exception inside a reminder does not kill the process', async () => {
    const actor = counter(`boom-${appId}`);
    const { pid } = await stats();
    await actor.remind({ name: 'boom', dueMs: 500, periodMs: 1_000, fail: true });
    try {
      // A second fire proves the process and the reminder both outlived the first exception.
      await waitFor(async () => ((await actor.fires('boom')) >= 2 ? true : undefined), { what: 'the failing reminder to fire twice', timeoutMs: 30_000 });
    } finally {
      await actor.forget('boom');
    }
    assert.equal(app.app?.running, true, 'the app process is still running');
    assert.equal((await stats()).pid, pid, 'and it is the same process');
    assert.match(app.app?.output() ?? '', /"msg":"reminder failed".*reminder boom failed on purpose/);
    assert.equal(await actor.increment(1), 1, 'the actor still answers calls');
  });
});
