import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, type TestContext, test } from 'node:test';
import { type JobFinishedWebhook, JobFinishedWebhookV1 } from '@importer/contracts';
import { type GuardedRequest, type GuardedResponse, SourceError } from '@importer/providers';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { UserWebhookSecrets } from './user-webhook-secrets.js';
import { WebhookSecrets } from './webhook-secret.js';
import { webhookHeaders, WebhookSender } from './webhook.sender.js';

const JOB = '00000000-0000-4000-8000-000000000001';
const OWNER = '00000000-0000-4000-8000-0000000000aa';
const OTHER_OWNER = '00000000-0000-4000-8000-0000000000bb';
const secrets = new WebhookSecrets('deployment-secret');
/** Every user at version 1 of their secret. */
const ownerSecrets = new UserWebhookSecrets(secrets, { webhookSecretVersion: async () => 1, bumpWebhookSecretVersion: async () => 2 });
const owned = { jobId: JOB, ownerId: OWNER };

const payload: JobFinishedWebhook = JobFinishedWebhookV1.parse({
  event: 'import.job.finished',
  job: {
    job_id: JOB,
    status: 'completed',
    source: 'url',
    folder_url: null,
    total_files: 2,
    processed_files: 2,
    failed_files: 0,
    skipped_files: 0,
    bytes: 1234,
    progress_percent: 100,
    error: null,
    created_at: '2025-03-01T10:00:00.000Z',
    finished_at: '2025-03-01T10:01:00.000Z',
  },
});

/** A sender whose POSTs are recorded and answered with `status` (or fail with `error`), signing at the times in `clock`. */
function harness(options: { clock?: Date[]; status?: number; error?: unknown } = {}) {
  const sent: { url: string; request: GuardedRequest }[] = [];
  const clock = [...(options.clock ?? [new Date('2025-03-01T10:01:05.250Z')])];
  const sender = new WebhookSender(
    ownerSecrets,
    { allowedHosts: new Set() },
    {
      now: () => clock.shift() ?? new Date(),
      fetch: async (url, request): Promise<GuardedResponse> => {
        sent.push({ url, request });
        if (options.error) throw options.error;
        return { status: options.status ?? 204, headers: {}, url, body: Readable.from([]) };
      },
    },
  );
  return { sender, sent };
}

/** Verifies as a receiver would at time `at`: standardwebhooks reads Date.now() for its 5-minute window. */
function verifyAt(t: TestContext, at: Date, secret: string, body: string, headers: Record<string, string>): unknown {
  t.mock.method(Date, 'now', () => at.getTime());
  try {
    return new Webhook(secret).verify(body, headers);
  } finally {
    t.mock.restoreAll();
  }
}

describe('WebhookSender.deliver', () => {
  test("the Standard Webhooks headers verify with the owner's secret, and not with another user's", async (t) => {
    const at = new Date('2025-03-01T10:01:05.250Z');
    const { sender, sent } = harness({ clock: [at] });
    assert.deepEqual(await sender.deliver('https://hooks.example.com/done', owned, payload), { delivered: true, status: 204 });
    const [{ url, request } = assert.fail('nothing sent')] = sent;
    const headers = request.headers ?? {};
    const body = String(request.body);
    assert.equal(url, 'https://hooks.example.com/done');
    assert.equal(request.method, 'POST');
    assert.equal(headers['content-type'], 'application/json');
    assert.deepEqual(JobFinishedWebhookV1.parse(JSON.parse(body)), payload);
    assert.deepEqual(Object.keys(headers).sort(), ['content-type', 'webhook-id', 'webhook-signature', 'webhook-timestamp'], 'no x-importer-* headers any more');
    assert.match(headers['webhook-signature'] ?? '', /^v1,[A-Za-z0-9+/]{43}=$/);

    assert.deepEqual(verifyAt(t, at, secrets.forUser(OWNER, 1), body, headers), payload);
    assert.throws(() => verifyAt(t, at, secrets.forUser(OTHER_OWNER, 1), body, headers), WebhookVerificationError);
    assert.throws(() => verifyAt(t, at, secrets.forUser(OWNER, 2), body, headers), WebhookVerificationError, 'a rotated secret no longer verifies');
    assert.throws(() => verifyAt(t, at, new WebhookSecrets('another-deployment').forUser(OWNER, 1), body, headers), WebhookVerificationError);
  });

  test('a job from before accounts (no owner) is signed with its own derived secret', async (t) => {
    const at = new Date('2025-03-01T10:01:05.250Z');
    const { sender, sent } = harness({ clock: [at] });
    await sender.deliver('https://hooks.example.com/done', { jobId: JOB, ownerId: null }, payload);
    const { request } = sent[0] ?? assert.fail('nothing sent');
    assert.deepEqual(verifyAt(t, at, secrets.forJob(JOB), String(request.body), request.headers ?? {}), payload);
  });

  test('a tampered body, or the same delivery more than 5 minutes later (a replay), is refused', async (t) => {
    const at = new Date('2025-03-01T10:01:05.000Z');
    const { sender, sent } = harness({ clock: [at] });
    await sender.deliver('https://hooks.example.com/done', owned, payload);
    const { request } = sent[0] ?? assert.fail('nothing sent');
    const headers = request.headers ?? {};
    const body = String(request.body);
    const secret = secrets.forUser(OWNER, 1);
    assert.throws(() => verifyAt(t, at, secret, body.replace('"completed"', '"failed"'), headers), /No matching signature/);
    assert.throws(() => verifyAt(t, at, secret, body, { ...headers, 'webhook-id': 'msg_00000000-0000-4000-8000-000000000002' }), /No matching signature/);
    assert.doesNotThrow(() => verifyAt(t, new Date(at.getTime() + 4 * 60_000), secret, body, headers));
    assert.throws(() => verifyAt(t, new Date(at.getTime() + 6 * 60_000), secret, body, headers), /too old/);
  });

  test('two attempts of one job carry the same webhook-id, each with its own attempt time', async (t) => {
    const first = new Date('2025-03-01T10:01:05.900Z');
    const second = new Date('2025-03-01T10:03:07.100Z');
    const { sender, sent } = harness({ clock: [first, second], status: 500 });
    assert.deepEqual(await sender.deliver('https://hooks.example.com/done', owned, payload), { delivered: false, retryable: true, reason: 'the receiver answered 500' });
    await sender.deliver('https://hooks.example.com/done', owned, payload);
    const [a, b] = sent.map((s) => s.request.headers ?? {});
    assert.ok(a && b);
    assert.equal(a['webhook-id'], `msg_${JOB}`);
    assert.equal(b['webhook-id'], a['webhook-id']);
    assert.deepEqual([a['webhook-timestamp'], b['webhook-timestamp']], [String(Math.floor(first.getTime() / 1000)), String(Math.floor(second.getTime() / 1000))]);
    assert.notEqual(a['webhook-signature'], b['webhook-signature'], 'each attempt is signed at its own time');
    for (const [headers, at] of [[a, first], [b, second]] as const) assert.doesNotThrow(() => verifyAt(t, at, secrets.forUser(OWNER, 1), String(sent[0]?.request.body), headers));
  });

  test('2xx is delivered; 5xx, 408 and 429 are retried; other answers are final', async () => {
    const outcome = async (status: number) => harness({ status }).sender.deliver('https://hooks.example.com/done', owned, payload);
    assert.deepEqual(await outcome(200), { delivered: true, status: 200 });
    for (const status of [500, 503, 408, 429]) assert.deepEqual(await outcome(status), { delivered: false, retryable: true, reason: `the receiver answered ${status}` });
    for (const status of [301, 400, 404, 410]) assert.deepEqual(await outcome(status), { delivered: false, retryable: false, reason: `the receiver answered ${status}` });
  });

  test('a refused address is final, a network failure is retried', async () => {
    const blocked = new SourceError('file_unavailable', 'blocked_address', 'refused: 127.0.0.1 is a loopback address');
    assert.deepEqual(await harness({ error: blocked }).sender.deliver('http://127.0.0.1/hook', owned, payload), {
      delivered: false,
      retryable: false,
      reason: 'blocked_address: refused: 127.0.0.1 is a loopback address',
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    assert.deepEqual(await harness({ error: reset }).sender.deliver('https://hooks.example.com/done', owned, payload), {
      delivered: false,
      retryable: true,
      reason: 'ECONNRESET: socket hang up',
    });
  });
});

test('webhookHeaders is the standardwebhooks signature of id, timestamp and body', () => {
  const secret = secrets.forJob(JOB);
  const at = new Date('2025-03-01T10:01:05.000Z');
  const headers = webhookHeaders(secret, JOB, '{"a":1}', at);
  assert.deepEqual(headers, {
    'webhook-id': `msg_${JOB}`,
    'webhook-timestamp': '1740823265',
    'webhook-signature': new Webhook(secret).sign(`msg_${JOB}`, at, '{"a":1}'),
  });
});
