import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createDataSource, dropDatabase, ensureDatabase } from '@importer/db';
import { type DaprApp, prepareResources, startDaprApp, waitFor } from '@importer/devkit';

describe('api health and readiness beside a real sidecar', () => {
  const appId = `api-health-${randomUUID().slice(0, 6)}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/importer_api_${randomUUID().slice(0, 8)}`;
  let api: DaprApp;

  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${api.appPort}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    await ensureDatabase(databaseUrl);
    const db = await createDataSource({ databaseUrl, poolSize: 1 }).initialize();
    await db.runMigrations();
    await db.destroy();
    const resources = prepareResources({ from: ['components/common', 'components/pubsub-redis', 'dapr'], scopes: [appId] });
    api = await startDaprApp({
      appId,
      app: { command: process.execPath, args: ['--conditions=source', '--import', 'tsx', 'services/api/src/main.ts'], env: { DATABASE_URL: databaseUrl } },
      resourcesPaths: [resources],
      namespace: appId,
    });
  });

  after(async () => {
    await api?.stop();
    await dropDatabase(databaseUrl);
  });

  test('GET /health answers 200 while the process runs', async () => {
    assert.deepEqual(await get('/health'), { status: 200, body: { status: 'ok' } });
  });

  test('GET /ready answers 200 when the database and the sidecar answer', async () => {
    assert.deepEqual(await get('/ready'), {
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true }, sidecar: { ok: true } } },
    });
  });

  test('GET /ready answers 503 naming the sidecar once it is gone, and /health still answers', async () => {
    api.daprd.signal('SIGKILL');
    await api.daprd.exited;
    const ready = await waitFor(async () => {
      const r = await get('/ready');
      return r.status === 503 ? r : undefined;
    }, { what: '/ready to report the missing sidecar', timeoutMs: 10_000 });
    assert.equal(ready.body.status, 'not_ready');
    const checks = ready.body.checks as Record<string, { ok: boolean; error?: string }>;
    assert.deepEqual(checks.database, { ok: true });
    assert.equal(checks.sidecar?.ok, false);
    assert.ok(checks.sidecar?.error, 'the failing check says why');
    assert.equal((await get('/health')).status, 200);
  });
});
