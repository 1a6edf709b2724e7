import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { RequestBudget } from './request-budget.js';
import { SourceError } from './source-error.js';
import { contentLength, fetchedFile, INSPECT_RETRY, inspectRetryPolicy, inspectTimeoutMs, isNetworkFailure, parseResponse } from './source-http.js';

describe('contentLength', () => {
  test('reads a whole number from fetch and from node headers, whatever the letter case', () => {
    assert.equal(contentLength(new Headers({ 'Content-Length': '1234' })), 1234);
    const node: IncomingHttpHeaders = { 'content-length': '0' };
    assert.equal(contentLength(node), 0);
    assert.equal(contentLength(new Headers({ 'content-length': '99', 'content-encoding': 'identity' })), 99);
  });

  test('is null without a length, with one that is not a whole number, or past the safe integers', () => {
    for (const value of ['', ' ', '-1', '1.5', '12abc', '1e3', '99999999999999999999']) assert.equal(contentLength(new Headers({ 'content-length': value })), null, value);
    assert.equal(contentLength(new Headers()), null);
    assert.equal(contentLength({}), null);
  });

  test('is null for a compressed body, whose length is not the file\'s (the check Dropbox lacked)', () => {
    assert.equal(contentLength(new Headers({ 'content-length': '10', 'content-encoding': 'gzip' })), null);
    assert.equal(contentLength({ 'content-length': '10', 'content-encoding': 'br' }), null);
  });
});

describe('isNetworkFailure', () => {
  test('a code of a dropped connection, on the error or a cause of it', () => {
    assert.equal(isNetworkFailure(Object.assign(new Error('read'), { code: 'ECONNRESET' })), true);
    const undici = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    assert.equal(isNetworkFailure(undici), true);
  });

  test('a message of one when no code comes with it', () => {
    assert.equal(isNetworkFailure(new Error('socket hang up')), true);
    assert.equal(isNetworkFailure(new TypeError('fetch failed')), true);
  });

  test('anything else is not', () => {
    assert.equal(isNetworkFailure(Object.assign(new Error('bad'), { code: 'ERR_INVALID_URL' })), false);
    assert.equal(isNetworkFailure(new Error('Unexpected token < in JSON')), false);
    assert.equal(isNetworkFailure('ECONNRESET'), false);
  });
});

describe('parseResponse', () => {
  const Page = z.object({ files: z.array(z.string()) });

  test('answers what the schema reads', () => {
    assert.deepEqual(parseResponse('google_drive', Page, { files: ['a'], extra: 1 }, 'file list'), { files: ['a'] });
  });

  test('anything else is a transient error naming the source by its catalogue label and what it sent', () => {
    assert.throws(
      () => parseResponse('dropbox', Page, '<html>', 'folder listing'),
      (error: unknown) => error instanceof SourceError && error.kind === 'transient' && error.reason === 'malformed_response' && /^Dropbox sent an unexpected folder listing: /.test(error.message),
    );
  });
});

describe('fetchedFile', () => {
  test('streams the body with its size and type', async () => {
    const opened = fetchedFile('google_drive', new Response('hello', { headers: { 'content-type': 'image/png', 'content-length': '5' } }), 'f1');
    assert.deepEqual([opened.size, opened.contentType], [5, 'image/png']);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'hello');
  });

  test('an answer without a body is worth another attempt', () => {
    assert.throws(
      () => fetchedFile('dropbox', new Response(null, { status: 204 }), 'a/b.png'),
      (error: unknown) => error instanceof SourceError && error.kind === 'transient' && error.message === 'Dropbox answered 204 without a body for a/b.png',
    );
  });
});

describe('the inspect retry', () => {
  const budget: RequestBudget = { acquire: async () => {}, throttle: () => {} };
  const transient = () => new SourceError('transient', 'http_503', 'down');

  test(`gives up after ${INSPECT_RETRY.maxAttempts} attempts, however many the source's own policy makes`, async () => {
    let attempts = 0;
    const policy = inspectRetryPolicy(budget, (e) => e as SourceError, { sleep: async () => {} });
    await assert.rejects(
      policy.run(async () => {
        attempts += 1;
        throw transient();
      }),
      /gave up after 3 attempts/,
    );
    assert.equal(attempts, INSPECT_RETRY.maxAttempts);
  });

  test('does not wait out a long Retry-After while a person waits', async () => {
    const policy = inspectRetryPolicy(budget, (e) => e as SourceError, { sleep: async () => assert.fail('no wait') });
    const slowDown = new SourceError('rate_limited', 'http_429', 'slow down', { retryAfterMs: INSPECT_RETRY.maxRetryAfterMs + 1 });
    await assert.rejects(
      policy.run(async () => {
        throw slowDown;
      }),
      (error) => error === slowDown,
    );
  });

  test("a request's deadline is the shorter of the source's and the inspect one", () => {
    assert.equal(inspectTimeoutMs(60_000), INSPECT_RETRY.requestTimeoutMs);
    assert.equal(inspectTimeoutMs(2_000), 2_000);
  });
});
