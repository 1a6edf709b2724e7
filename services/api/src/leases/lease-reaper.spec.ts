import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExpiredFiles, ExpiredFolder } from '@importer/db';
import { WorkerEnvSchema } from '@importer/db';
import { createLogger } from '@importer/observability';
import type { TopicContract } from '@importer/contracts';
import { loadApiConfig } from '../config.js';
import { LeaseReaper } from './lease-reaper.js';

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const file = (id: string) => ({ sourceFileId: id, name: id, path: id, mimeType: 'image/png', size: 1, md5: null });
const log = createLogger({ service: 'spec', write: () => {} });

function reaper(files: ExpiredFiles[], folders: ExpiredFolder[], publishFails = false) {
  const published: { topic: string; message: unknown }[] = [];
  const committed: string[] = [];
  const instance = new LeaseReaper({
    expired: {
      // As the repository does: what `send` throws rolls the round back.
      reapFiles: async (_limit, send) => (await send(files), committed.push('files'), files.reduce((n, f) => n + f.files.length, 0)),
      reapFolders: async (_limit, send) => (await send(folders), committed.push('folders'), folders.length),
    },
    publisher: {
      publish: async () => {},
      publishMany: async <T>(topic: TopicContract<T>, messages: readonly T[]) => {
        if (publishFails) throw new Error('broker down');
        published.push(...messages.map((message) => ({ topic: topic.name, message })));
      },
    },
    intervalMs: 1_000,
    limit: 100,
    log,
  });
  return { instance, published, committed };
}

describe('lease reaper', () => {
  test('expired files go back to transfer in batches of the batch size, expired pages to the lister as their job asked', async () => {
    const many = Array.from({ length: 120 }, (_, i) => file(`f${i}`));
    const folder: ExpiredFolder = { jobId, source: 'google_drive', recursive: false, folder: { id: 'sub', path: 'Sub' }, cursor: 'page-2' };
    const { instance, published, committed } = reaper([{ jobId, source: 'google_drive', files: many }], [folder]);
    assert.deepEqual(await instance.reapOnce(), { files: 120, folders: 1 });
    const batches = published.filter((p) => p.topic === 'files-found').map((p) => (p.message as { files: unknown[] }).files.length);
    assert.deepEqual(batches, [50, 50, 20]);
    assert.deepEqual(published.filter((p) => p.topic === 'list-requested').map((p) => p.message), [folder]);
    assert.deepEqual(committed, ['files', 'folders']);
  });

  test('a round that cannot publish commits nothing, so the leases stay expired for the next round, and it does not throw', async () => {
    const { instance, committed } = reaper([{ jobId, source: 'url', files: [file('a')] }], [], true);
    assert.deepEqual(await instance.reapOnce(), { files: 0, folders: 0 });
    assert.deepEqual(committed, []);
  });

  test("a dead replica's work is back within 30 s by default: its lease's time to live plus one reaper round", () => {
    const ttl = WorkerEnvSchema.parse({}).LEASE_TTL_MS;
    const round = loadApiConfig({ DAPR_API_TOKEN: 'a-spec-token-of-32-characters-00', APP_API_TOKEN: 'a-spec-token-of-32-characters-01' }).leaseReapIntervalMs;
    assert.ok(ttl + round <= 30_000, `${ttl} + ${round} ms`);
  });
});
