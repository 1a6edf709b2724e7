import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ImportAcceptedV1, ImportUrlsAcceptedV1, type StartJob } from '@importer/contracts';
import type { ImageSource } from '@importer/providers';
import type { JobState } from '../actors/import-job.state.js';
import { ApiError } from '../http/api-error.js';
import { UserWebhookSecrets } from '../webhooks/user-webhook-secrets.js';
import { WebhookSecrets } from '../webhooks/webhook-secret.js';
import { csvRows, urlsFromCsv } from './csv-urls.js';
import { ImportQuotas, type QuotaSettings } from './import-quotas.js';
import { ImportService } from './import.service.js';

const JOB_ID = '00000000-0000-4000-8000-000000000001';
const OWNER = '00000000-0000-4000-8000-0000000000aa';
const derived = new WebhookSecrets('deployment-secret');
const secrets = new UserWebhookSecrets(derived, { webhookSecretVersion: async () => 3, bumpWebhookSecretVersion: async () => 4 });
const ownerSecret = derived.forUser(OWNER, 3);
const NO_QUOTAS: QuotaSettings = { maxActiveJobs: 0, maxFilesPerJob: 0, maxStoredBytes: 0 };

/** A Dropbox source that sees every folder, named "Holiday". */
const dropbox = {
  parseFolderLink: (url: string) => ({ id: url, path: '' }),
  source: { kind: 'dropbox', inspectRoot: async () => ({ name: 'Holiday' }) } as Pick<ImageSource, 'kind' | 'inspectRoot'> as ImageSource,
};

function harness(options: { webhooks?: boolean; quotas?: Partial<QuotaSettings>; usage?: { active?: number; bytes?: number } } = {}) {
  const chunks: { first: number; count: number }[] = [];
  const started: StartJob[] = [];
  let stored = 0;
  const service = new ImportService(
    { dropbox },
    { start: async (spec: StartJob) => (started.push(spec), { status: 'listing' } as JobState) },
    {
      newJobId: () => JOB_ID,
      ...((options.webhooks ?? true) ? { webhookSecrets: secrets } : {}),
      quotas: new ImportQuotas({ ...NO_QUOTAS, ...options.quotas }, { countActive: async () => options.usage?.active ?? 0, storedBytes: async () => options.usage?.bytes ?? 0 }),
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
    const accepted = await service.importUrls(OWNER, urlsFromCsv(csvRows(csv(100_000))), 'https://hooks.example.com/done');
    assert.deepEqual(accepted, {
      job_id: JOB_ID,
      status: 'listing',
      message: 'Importing 100000 URLs.',
      urls_received: 100_000,
      webhook_secret: ownerSecret,
    });
    assert.equal(chunks.length, 100);
    assert.ok(chunks.every((c) => c.count === 1000));
    assert.deepEqual(started, [
      { jobId: JOB_ID, ownerId: OWNER, source: 'url', folderUrl: null, root: { id: JOB_ID, path: '' }, recursive: false, webhookUrl: 'https://hooks.example.com/done', maxFiles: null },
    ]);
  });

  test('one line more than 100,000 is refused with 413 and no job starts', async () => {
    const { service, started } = harness();
    await assert.rejects(service.importUrls(OWNER, urlsFromCsv(csvRows(csv(100_001))), null), (e: unknown) => e instanceof ApiError && e.status === 413);
    assert.equal(started.length, 0);
  });

  test('an empty list is a 400; a webhook without a signing secret is a 501', async () => {
    await assert.rejects(harness().service.importUrls(OWNER, [], null), (e: unknown) => e instanceof ApiError && e.status === 400 && e.code === 'no_urls');
    await assert.rejects(harness({ webhooks: false }).service.importUrls(OWNER, ['https://a.example/x.png'], 'https://hooks.example.com'), (e: unknown) => e instanceof ApiError && e.status === 501);
  });
});

describe('the webhook secret in the 202', () => {
  test("an import with a webhook_url answers its owner's secret in its 202", async () => {
    const urls = await harness().service.importUrls(OWNER, ['https://a.example/x.png'], 'https://hooks.example.com/done');
    assert.equal(ImportUrlsAcceptedV1.parse(urls).webhook_secret, ownerSecret);
    assert.match(urls.webhook_secret ?? '', /^whsec_/);
    const folder = await harness().service.importFolder(OWNER, 'dropbox', { folder_url: 'https://dropbox.example/f', recursive: true, webhook_url: 'https://hooks.example.com/f' });
    assert.equal(ImportAcceptedV1.parse(folder).webhook_secret, ownerSecret);
  });

  test('an import without a webhook_url has no webhook_secret, and the job is not told the secret either', async () => {
    const { service, started } = harness();
    const urls = await service.importUrls(OWNER, ['https://a.example/x.png'], null);
    assert.ok(!('webhook_secret' in urls), JSON.stringify(urls));
    const folder = await service.importFolder(OWNER, 'dropbox', { folder_url: 'https://dropbox.example/f', recursive: false });
    assert.deepEqual(folder, { job_id: JOB_ID, status: 'listing', message: 'Importing the folder "Holiday".' });
    assert.ok(!JSON.stringify(started).includes('whsec_'), 'the secret is derived again when sending, never stored with the job');
  });

  test('a folder import with a webhook_url but no WEBHOOK_SECRET is a 501 and starts nothing', async () => {
    const { service, started } = harness({ webhooks: false });
    await assert.rejects(
      service.importFolder(OWNER, 'dropbox', { folder_url: 'https://dropbox.example/f', recursive: true, webhook_url: 'https://hooks.example.com/f' }),
      (e: unknown) => e instanceof ApiError && e.status === 501,
    );
    assert.equal(started.length, 0);
  });
});

describe('quotas', () => {
  const refusedWith = (code: string) => (e: unknown) => e instanceof ApiError && e.status === 429 && e.code === code && Number(e.headers['Retry-After']) > 0;

  test('at the most jobs at once, a new import is a 429 naming that limit, and no job starts', async () => {
    const { service, started } = harness({ quotas: { maxActiveJobs: 2 }, usage: { active: 2 } });
    await assert.rejects(service.importUrls(OWNER, ['https://a.example/x.png'], null), refusedWith('quota_active_jobs'));
    await assert.rejects(service.importFolder(OWNER, 'dropbox', { folder_url: 'https://dropbox.example/f', recursive: true }), refusedWith('quota_active_jobs'));
    assert.equal(started.length, 0);
    const below = harness({ quotas: { maxActiveJobs: 2 }, usage: { active: 1 } });
    await below.service.importUrls(OWNER, ['https://a.example/x.png'], null);
    assert.equal(below.started.length, 1);
  });

  test('a full storage quota refuses new imports', async () => {
    const { service } = harness({ quotas: { maxStoredBytes: 1000 }, usage: { bytes: 1000 } });
    await assert.rejects(service.importUrls(OWNER, ['https://a.example/x.png'], null), refusedWith('quota_storage'));
  });

  test('a URL list longer than the files-per-job quota is refused; a folder job carries the quota to its actor', async () => {
    const { service, started } = harness({ quotas: { maxFilesPerJob: 3 } });
    await assert.rejects(service.importUrls(OWNER, ['1', '2', '3', '4'].map((n) => `https://a.example/${n}.png`), null), refusedWith('quota_files_per_job'));
    await service.importUrls(OWNER, ['1', '2', '3'].map((n) => `https://a.example/${n}.png`), null);
    await service.importFolder(OWNER, 'dropbox', { folder_url: 'https://dropbox.example/f', recursive: true });
    assert.deepEqual(started.map((s) => s.maxFiles), [3, 3]);
  });
});
