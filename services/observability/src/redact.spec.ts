import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSecretName, redactText } from './redact.js';

describe('isSecretName', () => {
  const secret = ['token', 'accessToken', 'DROPBOX_ACCESS_TOKEN', 'dapr-api-token', 'APP_API_TOKEN', 'authorization', 'Authorization',
    'apiKey', 'GOOGLE_API_KEY', 'DROPBOX_APP_KEY', 'secretAccessKey', 'accessKeyId', 'private_key', 'webhookSecret', 'secret',
    'password', 'PGPASSWORD', 'passwd', 'cookie', 'credentials', 'rlkey', 'signature'];
  const plain = ['key', 'storageKey', 'previewKey', 'idempotencyKey', 'jobId', 'fileId', 'source', 'url', 'path', 'reason', 'msg', 'keys'];
  for (const name of secret) test(`${name} is a secret`, () => assert.equal(isSecretName(name), true));
  for (const name of plain) test(`${name} is not`, () => assert.equal(isSecretName(name), false));
});

describe('redactText', () => {
  const cases: [string, string][] = [
    ['https://www.dropbox.com/scl/fo/a/b?rlkey=abc123&dl=0', 'https://www.dropbox.com/scl/fo/a/b?rlkey=[redacted]&dl=0'],
    ['https://dl.dropboxusercontent.com/scl/fo/a/b?dl=1&rlkey=abc123', 'https://dl.dropboxusercontent.com/scl/fo/a/b?dl=1&rlkey=[redacted]'],
    ['https://www.googleapis.com/drive/v3/files?q=x&key=AIzaSy', 'https://www.googleapis.com/drive/v3/files?q=x&key=[redacted]'],
    ['s3 https://h/b/k?X-Amz-Credential=AK%2F1&X-Amz-Signature=ff00 failed', 's3 https://h/b/k?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted] failed'],
    ['https://x/cb?access_token=t0k#frag', 'https://x/cb?access_token=[redacted]#frag'],
    ['dapr-api-token: abc123', 'dapr-api-token: [redacted]'],
    ['authorization: Bearer abc.def', 'authorization: [redacted]'],
    ['sent Bearer abc.def-ghi to the API', 'sent Bearer [redacted] to the API'],
    ['{"password":"hunter2","user":"u"}', '{"password":"[redacted]","user":"u"}'],
    ['DROPBOX_APP_SECRET=shh, then', 'DROPBOX_APP_SECRET=[redacted], then'],
  ];
  for (const [text, expected] of cases) test(text, () => assert.equal(redactText(text), expected));

  const untouched = [
    'GOOGLE_API_KEY is not set: Google Drive imports answer 501',
    'leasing request tokens failed; asking again',
    'https://www.dropbox.com/scl/fo/a/b?dl=0&st=x',
    'google_drive/1AbC/photo.jpg',
    'no webhook-secret in the secret store: requests with webhook_url answer 501',
  ];
  for (const text of untouched) test(`leaves "${text}"`, () => assert.equal(redactText(text), text));

  test('masking twice changes nothing more', () => {
    const once = redactText('authorization: Bearer abc https://d/?rlkey=k&token=t');
    assert.equal(redactText(once), once);
  });
});
