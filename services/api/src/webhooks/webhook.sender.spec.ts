import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signWebhookBody } from './webhook.sender.js';

test('the signature is sha256= and the hex HMAC-SHA256 of the exact body', () => {
  const body = '{"event":"import.job.finished","job":{"job_id":"x"}}';
  assert.equal(signWebhookBody('secret', body), `sha256=${createHmac('sha256', 'secret').update(body).digest('hex')}`);
  // A known vector (RFC 4231 style check with a short key): changes with a single byte of the body or the key.
  assert.notEqual(signWebhookBody('secret', `${body} `), signWebhookBody('secret', body));
  assert.notEqual(signWebhookBody('Secret', body), signWebhookBody('secret', body));
  assert.equal(signWebhookBody('key', 'The quick brown fox jumps over the lazy dog'), 'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
});
