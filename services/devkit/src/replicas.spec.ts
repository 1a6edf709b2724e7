import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replicaCounts, ReplicaEnvSchema, replicaName, replicasFromEnv } from './replicas.js';

const apps = [{ appID: 'api' }, { appID: 'lister', replicas: 2 }, { appID: 'transfer' }, { appID: 'web' }];

test('one replica of each app unless something asks for more', () => {
  assert.deepEqual(Object.fromEntries(replicaCounts(apps)), { api: 1, lister: 2, transfer: 1, web: 1 });
});

test('the caller wins over the environment, which wins over the run file', () => {
  const counts = replicaCounts(apps, { transfer: 4 }, { transfer: 3, lister: 5, api: 2 });
  assert.deepEqual(Object.fromEntries(counts), { api: 2, lister: 5, transfer: 4, web: 1 });
});

test('API_REPLICAS, LISTER_REPLICAS and TRANSFER_REPLICAS name their apps; web has no variable', () => {
  const env = ReplicaEnvSchema.parse({ API_REPLICAS: '2', TRANSFER_REPLICAS: '3', WEB_REPLICAS: '4' });
  assert.deepEqual(replicasFromEnv(env), { api: 2, transfer: 3 });
});

test('a count that is not a whole number from 1 to 16 is refused with its variable', () => {
  for (const bad of ['0', '-1', '1.5', 'three', '17']) {
    const parsed = ReplicaEnvSchema.safeParse({ TRANSFER_REPLICAS: bad });
    assert.equal(parsed.success, false, bad);
    assert.deepEqual(parsed.error?.issues[0]?.path, ['TRANSFER_REPLICAS']);
  }
  assert.throws(() => replicaCounts(apps, { transfer: 0 }), /replicas of transfer must be a whole number from 1 to 16, not 0/);
});

test('replicas of an app the run file does not have are refused, not ignored', () => {
  assert.throws(() => replicaCounts(apps, { transfr: 3 }), /replicas asked for transfr, which the run file does not have \(it has api, lister, transfer, web\)/);
  assert.throws(() => replicaCounts([{ appID: 'api' }], {}, { transfer: 3 }), /set in the environment for transfer/);
});

test('a lone replica keeps the app id as its name; several are numbered from 0', () => {
  assert.equal(replicaName('transfer', 0, 1), 'transfer');
  assert.deepEqual([0, 1, 2].map((i) => replicaName('transfer', i, 3)), ['transfer#0', 'transfer#1', 'transfer#2']);
});
