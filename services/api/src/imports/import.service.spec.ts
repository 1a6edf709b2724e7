import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ImportAcceptedV1, ImportUrlsAcceptedV1, type StartJob } from '@importer/contracts';
import type { ImageSource } from '@importer/providers';
import type { JobState } from '../actors/import-job.state.js';
import { ApiError } from '../http/api-error.js';
import { WebhookSecrets } from '../webhooks/webhook-secret.js';
import { csvRows, urlsFromCsv } from './csv-urls.js';
import { ImportService } from './import.service.js';

const JOB_ID = '00000000-0000-4000-8000-000000000001';
const secrets = new WebhookSecrets('deployment-secret');

/** A Dropbox source that sees every folder, named "Holiday". */
const dropbox = {
  parseFolderLink: (url: string) => ({ id: url, path: '' }),
  source: { kind: 'dropbox', inspectRoot: async () => ({ name: 'Holiday' }) } as Pick<ImageSource, 'kind' | 'inspectRoot'> as ImageSource,
};

function harness(options: { webhooks?: boolean } = {}) {
  const chunks: { first: number; count: number }[] = [];
  const started: StartJob[] = [];
  let stored = 0;
  const service = new ImportService(
    { dropbox },
    { start: async (spec: StartJob) => (started.push(spec), { status: 'listing' } as JobState) },
    {
      newJobId: () => JOB_ID,
      ...((options.webhooks ?? true) ? { webhookSecrets: secrets } : {}),
      urlLists: {
        append: async (_id, first, urls) => {
          assert.equal(first, stored + 1, 'lines are stored in order, without gaps');
          stored += urls.length;
          chunks.push({ first, count: urls.length });
        },
      },
    },
  );
  return { service, chunks, started };
}

/** A CSV of `rows` URLs as a stream of 64 KiB chunks, never held whole. */
async function* csv(rows: number): AsyncGenerator<Buffer> {
  let text = 'id,image_url\n';
  for (let i = 1; i <= rows; i++) {
    text += `${i},https://images.example.com/photos/${i}.jpg\n`;
    if (text.length > 65_536) {
      yield Buffer.from(text);
      text = '';
    }
  }
  yield Buffer.from(text);
}

describe('ImportService.importUrls', () => {
  test('a CSV of 100,000 lines is stored a thousand lines at a time as it streams, then the job starts', async () => {
    const { service, chunks, started } = harness();
    const accepted = await service.importUrls(urlsFromCsv(csvRows(csv(100_000))), 'https://hooks.example.com/done');
    assert.deepEqual(accepted, {
      job_id: JOB_ID,
      status: 'listing',
      message: 'Importing 100000 URLs.',
      urls_received: 100_000,
      webhook_secret: secrets.forJob(JOB_ID),
    });
    assert.equal(chunks.length, 100);
    assert.ok(chunks.every((c) => c.count === 1000));
    assert.deepEqual(started, [
      { jobId: JOB_ID, source: 'url', folderUrl: null, root: { id: JOB_ID, path: '' }, recursive: false, webhookUrl: 'https://hooks.example.com/done' },
    ]);
  });

  test('one line more than 100,000 is refused with 413 and no job starts', async () => {
    const { service, started } = harness();
    await assert.rejects(service.importUrls(urlsFromCsv(csvRows(csv(100_001))), null), (e: unknown) => e instanceof ApiError && e.status === 413);
    assert.equal(started.length, 0);
  });

  test('an empty list is a 400; a webhook without a signing secret is a 501', async () => {
    await assert.rejects(harness().service.importUrls([], null), (e: unknown) => e instanceof ApiError && e.status === 400 && e.code === 'no_urls');
    await assert.rejects(harness({ webhooks: false }).service.importUrls(['https://a.example/x.png'], 'https://hooks.example.com'), (e: unknown) => e instanceof ApiError && e.status === 501);
  });
});

describe('the webhook secret in the 202', () => {
  test("an import with a webhook_url answers the job's derived secret, once, in its 202", async () => {
    const urls = await harness().service.importUrls(['https://a.example/x.png'], 'https://hooks.example.com/done');
    assert.equal(ImportUrlsAcceptedV1.parse(urls).webhook_secret, secrets.forJob(JOB_ID));
    assert.match(urls.webhook_secret ?? '', /^whsec_/);
    const folder = await harness().service.importFolder('dropbox', { folder_url: 'https://dropbox.example/f', recursive: true, webhook_url: 'https://hooks.example.com/f' });
    assert.equal(ImportAcceptedV1.parse(folder).webhook_secret, secrets.forJob(JOB_ID));
  });

  test('an import without a webhook_url has no webhook_secret, and the job is not told the secret either', async () => {
    const { service, started } = harness();
    const urls = await service.importUrls(['https://a.example/x.png'], null);
    assert.ok(!('webhook_secret' in urls), JSON.stringify(urls));
    const folder = await service.importFolder('dropbox', { folder_url: 'https://dropbox.example/f', recursive: false });
    assert.deepEqual(folder, { job_id: JOB_ID, status: 'listing', message: 'Importing the folder "Holiday".' });
    assert.ok(!JSON.stringify(started).includes('whsec_'), 'the secret is derived again when sending, never stored with the job');
  });

  test('a folder import with a webhook_url but no WEBHOOK_SECRET is a 501 and starts nothing', async () => {
    const { service, started } = harness({ webhooks: false });
    await assert.rejects(
      service.importFolder('dropbox', { folder_url: 'https://dropbox.example/f', recursive: true, webhook_url: 'https://hooks.example.com/f' }),
      (e: unknown) => e instanceof ApiError && e.status === 501,
    );
    assert.equal(started.length, 0);
  });
});
