import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { WebhookSecrets } from './webhook-secret.js';

const JOB_A = '00000000-0000-4000-8000-00000000000a';
const JOB_B = '00000000-0000-4000-8000-00000000000b';

test('a job secret is whsec_ and the base64 of 32 bytes, which standardwebhooks takes', () => {
  const secret = new WebhookSecrets('deployment').forJob(JOB_A);
  const match = /^whsec_([A-Za-z0-9+/]{43}=)$/.exec(secret);
  assert.ok(match, secret);
  assert.equal(Buffer.from(match[1] ?? '', 'base64').length, 32);
  assert.doesNotThrow(() => new Webhook(secret));
});

test('the secret is HMAC-SHA256 of a fixed label and the job id under the deployment secret', () => {
  const secret = new WebhookSecrets('deployment').forJob(JOB_A);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  assert.deepEqual(key, createHmac('sha256', 'deployment').update(`image-importer/webhook-job-secret/v1:${JOB_A}`).digest());
});

test('the same job and deployment secret give the same secret; another job or deployment secret another one', () => {
  const secrets = new WebhookSecrets('deployment');
  assert.equal(secrets.forJob(JOB_A), new WebhookSecrets('deployment').forJob(JOB_A));
  assert.notEqual(secrets.forJob(JOB_A), secrets.forJob(JOB_B));
  assert.notEqual(secrets.forJob(JOB_A), new WebhookSecrets('deployment2').forJob(JOB_A));
  assert.notEqual(secrets.forJob(JOB_A), new WebhookSecrets('Deployment').forJob(JOB_A));
});

test('an empty deployment secret is refused, and the deployment secret never shows when the object is printed', () => {
  assert.throws(() => new WebhookSecrets(''), /WEBHOOK_SECRET is empty/);
  const secrets = new WebhookSecrets('very-secret-value');
  assert.ok(!JSON.stringify(secrets).includes('very-secret-value'));
  assert.ok(!inspect(secrets, { showHidden: true, depth: 5 }).includes('very-secret-value'));
});
