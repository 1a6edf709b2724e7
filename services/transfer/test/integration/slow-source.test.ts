import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import { unlimitedBudget, UrlListSource, urlSourceFileId } from '@importer/providers';
import { FileTransferService } from '../../src/file-transfer.service.js';

/** The job every transfer here is for; who owns it changes nothing about deadlines. */
const JOB = { jobId: 'job', ownerId: '3f1c9a7e-2b4d-4e6f-8a0c-1d3e5f7a9b2c' };
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('slow and silent URLs end by their deadlines, with the reason, their connections closed', () => {
  let server: Server;
  let port = 0;
  const closed: string[] = [];
  const drips = new Set<NodeJS.Timeout>();

  before(async () => {
    server = createServer((req, res) => {
      req.socket.once('close', () => closed.push(req.url ?? ''));
      res.writeHead(200, { 'content-length': 50_000_000 });
      res.write(PNG_HEAD);
      // A byte every 50 ms: never quiet for the idle timeout, never done either.
      if (req.url?.startsWith('/trickle')) {
        const drip = setInterval(() => res.write(Buffer.alloc(1)), 50);
        drips.add(drip);
        req.socket.once('close', () => clearInterval(drip));
      }
    });
    server.listen(0);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    for (const drip of drips) clearInterval(drip);
    server.closeAllConnections();
    server.close();
  });

  const urlFile = (path: string): SourceFile => {
    const url = `http://localhost:${port}${path}`;
    return { sourceFileId: urlSourceFileId(url), name: path, path: url, locator: url, mimeType: 'application/octet-stream', size: null, md5: null };
  };
  const service = () =>
    new FileTransferService({
      sources: { url: new UrlListSource({ allowedHosts: new Set(['localhost']), budget: unlimitedBudget, maxBytes: 100_000_000 }) },
      images: { findBySourceFiles: async () => new Map(), upsertMany: async () => new Map() },
      binding: { maxPayloadBytes: 48 * 1024 * 1024, put: async (key) => ({ key, location: undefined }) },
      streaming: { putStream: async () => Promise.reject(new Error('not used')) },
      download: { timeoutMs: 1_000, idleTimeoutMs: 300 },
    });
  const sawClosed = async (path: string) => {
    for (let i = 0; i < 100 && !closed.includes(path); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return closed.includes(path);
  };

  test('headers, a few bytes, then nothing: retried as download_stalled after the idle timeout', async () => {
    const started = Date.now();
    assert.deepEqual(await service().transfer(JOB, 'url', urlFile('/stall')), { status: 'retry', reason: 'download_stalled: no data for 300 ms' });
    const took = Date.now() - started;
    assert.ok(took >= 300 && took < 900, `ended after ${took} ms`);
    assert.ok(await sawClosed('/stall'));
  });

  test('a byte now and then: retried as download_timeout at the total deadline', async () => {
    const started = Date.now();
    assert.deepEqual(await service().transfer(JOB, 'url', urlFile('/trickle')), { status: 'retry', reason: 'download_timeout: the download took longer than 1 s' });
    const took = Date.now() - started;
    assert.ok(took >= 1_000 && took < 2_000, `ended after ${took} ms`);
    assert.ok(await sawClosed('/trickle'));
  });

  test('sixteen of them at once (a replica full of them) all end by the deadline and free their connections', async () => {
    const transfers = service();
    const paths = Array.from({ length: 16 }, (_, i) => (i % 2 ? `/stall-${i}` : `/trickle-${i}`));
    const started = Date.now();
    const outcomes = await Promise.all(paths.map((path) => transfers.transfer(JOB, 'url', urlFile(path))));
    assert.ok(Date.now() - started < 2_500, `all ended after ${Date.now() - started} ms`);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'retry' ? o.reason.split(':')[0] : o.status)),
      paths.map((p) => (p.startsWith('/stall') ? 'download_stalled' : 'download_timeout')),
    );
    for (const path of paths) assert.ok(await sawClosed(path), path);
  });
});
