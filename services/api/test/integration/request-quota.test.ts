import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { type DaprApp, prepareResources, startDaprApp, waitFor } from '@importer/devkit';
import { createLogger } from '@importer/observability';
import { ActorInvoker, LeasedRequestBudget } from '@importer/sidecar';

/** Takes tokens from `budget` until `ms` have passed; how many it got. */
async function drain(budget: LeasedRequestBudget, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let got = 0;
  while (Date.now() < deadline) {
    const granted = await Promise.race([
      budget.acquire().then(
        () => true,
        () => false,
      ),
      sleep(deadline - Date.now()).then(() => false),
    ]);
    if (granted) got++;
  }
  return got;
}

describe('one request budget per source, shared by every replica through the RequestQuota actor', () => {
  const rate = 20;
  // A fresh app id each run: actor state is keyed by it, so every source's budget starts full.
  const appId = `api-quota-${Math.random().toString(36).slice(2, 8)}`;
  const log = createLogger({ service: 'quota-test', write: () => {} });
  let db: TestDatabase;
  let api: DaprApp;
  let actors: ActorInvoker;

  before(async () => {
    db = await createTestDatabase();
    const resources = prepareResources({ from: ['components/common', 'components/pubsub-redis', 'dapr'], scopes: [appId] });
    api = await startDaprApp({
      appId,
      app: {
        command: process.execPath,
        args: ['--conditions=source', '--import', 'tsx', 'services/api/src/main.ts'],
        env: { DATABASE_URL: db.url, GOOGLE_REQUESTS_PER_SECOND: String(rate), DROPBOX_REQUESTS_PER_SECOND: String(rate) },
      },
      resourcesPaths: [resources],
      namespace: appId,
    });
    actors = new ActorInvoker(api.sidecarUrl, api.tokens.daprApiToken);
    await waitFor(async () => ((await actors.invoke('RequestQuota', 'url', 'lease', { want: 1 })) ? true : undefined), {
      what: 'placement to route RequestQuota',
    });
  });

  after(async () => {
    await api?.stop();
    await db?.drop();
  });

  test('two replicas together get no more than the burst plus the rate', async () => {
    // A source no other test leases from, so its budget starts full: one second's worth.
    const source = 'google_drive';
    const replicaA = new LeasedRequestBudget(actors, source, log, 5);
    const replicaB = new LeasedRequestBudget(actors, source, log, 5);
    const started = Date.now();
    const [a, b] = await Promise.all([drain(replicaA, 1_500), drain(replicaB, 1_500)]);
    replicaA.close();
    replicaB.close();
    const seconds = (Date.now() - started) / 1000;
    const allowed = rate + rate * seconds + 2 * 5;
    assert.ok(a > 0 && b > 0, `both replicas got tokens (${a}, ${b})`);
    assert.ok(a + b <= allowed, `${a + b} tokens in ${seconds.toFixed(1)} s; the shared budget allows ${allowed.toFixed(0)} (burst, rate, and one block each in hand)`);
  });

  test('a budget for a source the catalogue does not know is refused', async () => {
    await assert.rejects(actors.invoke('RequestQuota', 'ftp', 'lease', { want: 1 }), /RequestQuota\.lease failed/);
  });

  test('a throttle reported by one replica pauses the other, and the budget recovers', async () => {
    const source = 'dropbox';
    const replicaA = new LeasedRequestBudget(actors, source, log, 5);
    const replicaB = new LeasedRequestBudget(actors, source, log, 5);
    replicaA.throttle(2_000);
    await sleep(300);
    assert.equal(await drain(replicaB, 1_200), 0, 'nothing is granted while the source asked everyone to wait');
    assert.ok((await drain(replicaB, 2_000)) > 0, 'tokens flow again after the pause');
    replicaA.close();
    replicaB.close();
  });
});
