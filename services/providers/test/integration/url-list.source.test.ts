import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import { guardedFetch, SourceError, unlimitedBudget, type UrlListEntry, UrlListSource, urlSourceFileId } from '@importer/providers';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('URL imports: guardedFetch and UrlListSource against a local server', () => {
  let server: Server;
  let port = 0;
  const requests: string[] = [];
  /** Paths whose connection the client closed. */
  const closed: string[] = [];
  const local = (path: string) => `http://localhost:${port}${path}`;

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.headers.host} ${req.url}`);
      if (req.url === '/a.png') res.writeHead(200, { 'content-length': PNG.length }).end(PNG);
      else if (req.url === '/to-loopback') res.writeHead(302, { location: `http://127.0.0.1:${port}/a.png` }).end();
      else if (req.url === '/to-metadata') res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (req.url === '/to-file') res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (req.url === '/big') res.writeHead(200, { 'content-length': 10_000 }).end(Buffer.alloc(10_000));
      else if (req.url === '/big-chunked') {
        res.writeHead(200);
        res.end(Buffer.alloc(10_000));
      } else if (req.url === '/busy') res.writeHead(503, { 'retry-after': '0' }).end();
      else if (req.url === '/busy-long') res.writeHead(503, { 'retry-after': '20' }).end();
      else if (req.url === '/trickle') {
        // Headers and the first bytes, then nothing: a slot held for ever unless the reader gives up.
        res.writeHead(200, { 'content-length': 1_000_000 }).write(PNG);
        req.socket.once('close', () => closed.push(req.url ?? ''));
      } else if (req.url === '/silent') req.socket.once('close', () => closed.push(req.url ?? ''));
      else res.writeHead(404).end();
    });
    server.listen(0);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const allowLocalhost = { allowedHosts: new Set(['localhost']) };
  const read = async (body: AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks);
  };
  const refusedWith = (reason: string, message?: RegExp) => (error: unknown) =>
    error instanceof SourceError && error.reason === reason && !error.retryable && (!message || message.test(error.message));

  test('an allowed host is fetched; the same server by 127.0.0.1 is refused before any connection', async () => {
    const answer = await guardedFetch(local('/a.png'), {}, allowLocalhost);
    assert.equal(answer.status, 200);
    assert.deepEqual(await read(answer.body), PNG);
    const before = requests.length;
    await assert.rejects(guardedFetch(`http://127.0.0.1:${port}/a.png`, {}, allowLocalhost), refusedWith('blocked_address', /127\.0\.0\.1 is a loopback address/));
    await assert.rejects(guardedFetch(`http://[::1]:${port}/a.png`, {}, allowLocalhost), refusedWith('blocked_address', /loopback/));
    assert.equal(requests.length, before, 'nothing reached the server');
  });

  test('every redirect is checked: to loopback, to the metadata service, to file:, in a loop', async () => {
    await assert.rejects(guardedFetch(local('/to-loopback'), {}, allowLocalhost), refusedWith('blocked_address'));
    await assert.rejects(guardedFetch(local('/to-metadata'), {}, allowLocalhost), refusedWith('blocked_address', /link-local/));
    await assert.rejects(guardedFetch(local('/to-file'), {}, allowLocalhost), refusedWith('unsupported_scheme'));
    await assert.rejects(guardedFetch(local('/loop'), {}, allowLocalhost), refusedWith('too_many_redirects'));
  });

  test('a public-looking name that resolves to a private address is refused after resolution', async () => {
    const resolve = async () => [{ address: '10.0.0.7', family: 4 }];
    await assert.rejects(guardedFetch('http://images.example.com/a.png', {}, { allowedHosts: new Set(), resolve }), refusedWith('blocked_address', /images\.example\.com \(10\.0\.0\.7\) is a private address/));
    const mixed = async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
    await assert.rejects(guardedFetch('http://images.example.com/a.png', {}, { allowedHosts: new Set(), resolve: mixed }), refusedWith('blocked_address'));
  });

  test('the size cap holds whether the length is announced or not', async () => {
    await assert.rejects(guardedFetch(local('/big'), { maxBytes: 5_000 }, allowLocalhost), refusedWith('too_large'));
    const chunked = await guardedFetch(local('/big-chunked'), { maxBytes: 5_000 }, allowLocalhost);
    await assert.rejects(read(chunked.body), refusedWith('too_large'));
  });

  test('UrlListSource lists a stored list page by page, dedupes, skips non-URLs, and maps statuses', async () => {
    const lines = [local('/a.png'), 'not a url', local('/a.png#again'), local('/missing.png'), 'ftp://example.com/x.png', local('/busy')];
    const entries: UrlListEntry[] = lines.map((url, i) => ({ position: i + 1, url }));
    const source = new UrlListSource({
      ...allowLocalhost,
      budget: unlimitedBudget,
      maxBytes: 1_000_000,
      pageSize: 4,
      retry: { sleep: async () => {} },
      lists: { page: async (_id, after, limit) => entries.filter((e) => e.position > after).slice(0, limit) },
    });
    const first = await source.listPage({ id: 'list', path: '' }, null);
    assert.equal(first.nextCursor, '4');
    assert.deepEqual(first.files.map((f) => f.path), [local('/a.png'), local('/missing.png')], 'a fragment does not make another image');
    assert.deepEqual(first.skipped.map((s) => s.reason), ['invalid_url']);
    const second = await source.listPage({ id: 'list', path: '' }, first.nextCursor);
    assert.equal(second.nextCursor, null);
    assert.deepEqual(second.skipped.map((s) => s.name), ['ftp://example.com/x.png']);
    assert.equal(first.files[0]?.sourceFileId, urlSourceFileId(local('/a.png')));

    const opened = await source.openFile(first.files[0] as SourceFile);
    assert.deepEqual(await read(opened.stream as AsyncIterable<Buffer>), PNG);
    await assert.rejects(source.openFile(first.files[1] as SourceFile), (e: unknown) => e instanceof SourceError && e.reason === 'http_404' && e.kind === 'file_unavailable');
    const busy = second.files[0] as SourceFile;
    await assert.rejects(source.openFile(busy), (e: unknown) => e instanceof SourceError && e.reason === 'http_503' && /gave up after 3 attempts/.test(e.message));
  });

  describe('a download ends the moment its signal aborts, with the reason, and its connection closed', () => {
    const source = new UrlListSource({ ...allowLocalhost, budget: unlimitedBudget, maxBytes: 10_000_000 });
    const urlFile = (path: string): SourceFile => ({ sourceFileId: urlSourceFileId(local(path)), name: path, path: local(path), locator: local(path), mimeType: 'application/octet-stream', size: null, md5: null });
    const stalled = () => new SourceError('transient', 'download_stalled', 'no data for 0.2 s');
    /** A signal that aborts once no byte has come for `ms`, as transfer's DownloadDeadline does between chunks. */
    function idleSignal(ms: number) {
      const controller = new AbortController();
      let timer = setTimeout(() => controller.abort(stalled()), ms);
      const touch = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(stalled()), ms);
      };
      return { signal: controller.signal, touch, stop: () => clearTimeout(timer) };
    }
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return check();
    };

    test('headers and then nothing: open succeeds, the read fails within the idle timeout with download_stalled', async () => {
      const idle = idleSignal(200);
      const started = Date.now();
      const opened = await source.openFile(urlFile('/trickle'), { signal: idle.signal });
      assert.equal(opened.size, 1_000_000);
      const chunks: Buffer[] = [];
      await assert.rejects(
        (async () => {
          for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
            chunks.push(chunk);
            idle.touch();
          }
        })(),
        (e: unknown) => e instanceof SourceError && e.reason === 'download_stalled' && e.message === 'no data for 0.2 s',
      );
      idle.stop();
      const took = Date.now() - started;
      assert.ok(took >= 200 && took < 2_000, `ended after ${took} ms`);
      assert.deepEqual(Buffer.concat(chunks), PNG, 'what came before the stall was read');
      assert.ok(await waitFor(() => closed.includes('/trickle')), 'the server saw the connection closed');
    });

    test('no headers at all: open fails with the reason long before the 30 s headers timeout', async () => {
      const idle = idleSignal(200);
      const started = Date.now();
      await assert.rejects(source.openFile(urlFile('/silent'), { signal: idle.signal }), (e: unknown) => e instanceof SourceError && e.reason === 'download_stalled');
      assert.ok(Date.now() - started < 2_000);
      assert.ok(await waitFor(() => closed.includes('/silent')), 'the server saw the connection closed');
    });

    test('an abort during the backoff after a 503 ends the retries at once', async () => {
      const before = requests.filter((r) => r.endsWith('/busy-long')).length;
      const controller = new AbortController();
      setTimeout(() => controller.abort(stalled()), 200);
      const started = Date.now();
      await assert.rejects(source.openFile(urlFile('/busy-long'), { signal: controller.signal }), (e: unknown) => e instanceof SourceError && e.reason === 'download_stalled');
      assert.ok(Date.now() - started < 2_000, 'the 20 s Retry-After was not waited for');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(requests.filter((r) => r.endsWith('/busy-long')).length - before, 1, 'no attempt after the abort');
    });

    test('an already aborted signal sends nothing', async () => {
      const before = requests.length;
      await assert.rejects(source.openFile(urlFile('/a.png'), { signal: AbortSignal.abort(stalled()) }), (e: unknown) => e instanceof SourceError && e.reason === 'download_stalled');
      assert.equal(requests.length, before);
    });
  });
});
