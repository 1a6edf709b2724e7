import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { localPlatform, localS3Client, readLocalObject, type RunningSystem, startSystem } from '@importer/devkit';
import { buildBenchmarkFolder, buildEdgeCaseFolder, DriveModel, type RunningDriveEmulator, startDriveEmulator } from '@importer/emulators';
import { ApiClient, E2E_ADMIN_ENV, ENDED } from '../../src/api-client.js';

const { minio } = localPlatform;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

interface ImageRow {
  source_file_id: string;
  name: string;
  size: number;
  md5: string;
  storage_path: string;
  mime_type: string;
}

const brokers = [
  { name: 'Redis Streams', pubsubFolder: undefined },
  { name: 'RabbitMQ', pubsubFolder: 'components/pubsub-rabbitmq' },
];

for (const broker of brokers) {
  describe(`importing a Google Drive folder end to end, on ${broker.name}`, () => {
    let api = new ApiClient('http://127.0.0.1:3000');
    const s3 = localS3Client();
    // A fresh seed gives fresh file ids, so every run writes objects of its own.
    const model = new DriveModel(`e2e-${randomUUID()}`);
    const edge = buildEdgeCaseFolder(model);
    const poisonId = edge.expected.imageIds[0] ?? '';
    const cancelled = buildBenchmarkFolder({ count: 400, fileSize: 16 * 1024, name: 'Cancel me' }, model).folder;
    const crashed = buildBenchmarkFolder({ count: 300, fileSize: 16 * 1024, name: 'Crash me' }, model).folder;
    const privateFolder = model.folder('Private', { private: true });
    let db: TestDatabase;
    let drive: RunningDriveEmulator;
    let system: RunningSystem;

    const bytesOf = (id: string): Buffer => {
      const item = model.get(id);
      assert.ok(item?.type === 'file', `${id} is a file of the emulator`);
      return Buffer.concat([...item.content.chunks()]);
    };
    const rows = (where: string, params: unknown[]) => db.dataSource.query(`SELECT * FROM images WHERE ${where}`, params) as Promise<ImageRow[]>;
    const importFolder = async (link: string) => {
      const answer = await api.post('/import/google-drive', { folder_url: link });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      return String(answer.body.job_id);
    };

    before(async () => {
      db = await createTestDatabase('importer_e2e');
      drive = await startDriveEmulator({ model, apiKeys: ['e2e-key'] });
      system = await startSystem({
        ...(broker.pubsubFolder ? { pubsubFolder: broker.pubsubFolder } : {}),
        env: {
          ...E2E_ADMIN_ENV,
          DATABASE_URL: db.url,
          GOOGLE_API_KEY: 'e2e-key',
          GOOGLE_API_ROOT_URL: drive.rootUrl,
          GOOGLE_PAGE_SIZE: '4',
          S3_ENDPOINT: minio.endpoint,
          WATCHDOG_PERIOD_MS: '2000',
          WATCHDOG_STALL_AFTER_MS: '6000',
          TRANSFER_MAX_ATTEMPTS: '5',
        },
      });
      api = await ApiClient.signedIn(api.baseUrl);
    });

    after(async () => {
      await system?.stop();
      await drive?.close();
      await db?.drop();
      s3.destroy();
    });

    test('a link that is not a folder link gets a 400 saying what one looks like; a private folder gets a 404', async () => {
      for (const link of ['not a link', 'https://example.com/drive/folders/abc', 'https://drive.google.com/file/d/1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV/view']) {
        const answer = await api.post('/import/google-drive', { folder_url: link });
        assert.equal(answer.status, 400, link);
        const error = answer.body.error as { code: string; message: string };
        assert.equal(error.code, 'not_a_folder_link');
        assert.match(error.message, /drive\.google\.com\/drive\/folders\//, 'the message shows what a folder link looks like');
      }
      assert.equal((await api.post('/import/google-drive', {})).status, 400, 'no folder_url at all');
      assert.equal((await api.post('/import/google-drive', '{"folder_url":')).status, 400, 'not JSON');
      const hidden = await api.post('/import/google-drive', { folder_url: privateFolder.link });
      assert.equal(hidden.status, 404);
      assert.equal((hidden.body.error as { code: string }).code, 'folder_not_found');
      assert.equal((await api.get('/import/jobs')).body.jobs instanceof Array, true);
    });

    test('a folder of several pages, nested folders, shortcuts, Docs, odd names and a 20 MB image, under faults, lands in S3 byte for byte', async () => {
      drive.control.addFaults(
        { route: 'files.list', responses: [{ type: 'error', status: 503 }, { type: 'error', status: 429, retryAfter: '1' }] },
        { route: 'files.media', responses: [{ type: 'error', reason: 'userRateLimitExceeded' }, { type: 'error', status: 503 }, { type: 'resetMidBody' }] },
        { route: 'files.media', fileId: poisonId, responses: [{ type: 'error', reason: 'cannotDownloadAbusiveFile' }], repeat: true },
      );
      const jobId = await importFolder(edge.folder.link);
      const job = await api.waitForJob(jobId, (j) => ENDED.has(j.status));
      const { imageIds, skippedIds } = edge.expected;

      assert.equal(job.status, 'completed_with_errors', JSON.stringify(job));
      assert.equal(job.total_files, imageIds.length + skippedIds.length);
      assert.equal(job.processed_files, imageIds.length - 1);
      assert.equal(job.skipped_files, skippedIds.length);
      assert.equal(job.failed_files, 1);
      assert.equal(job.progress_percent, 100);
      assert.equal(job.errors.length, 1);
      assert.equal(job.errors[0]?.source_file_id, poisonId);
      assert.match(job.errors[0]?.reason ?? '', /^cannotDownloadAbusiveFile/);
      assert.ok(drive.control.counters().faultsServed >= 6, 'the scripted faults were met and got through');

      const imported = await rows('job_id = $1', [jobId]);
      assert.deepEqual(imported.map((r) => r.source_file_id).sort(), imageIds.filter((id) => id !== poisonId).sort());
      for (const row of imported) {
        const expected = bytesOf(row.source_file_id);
        assert.equal(Number(row.size), expected.length, row.name);
        assert.equal(row.md5, md5(expected), row.name);
        assert.ok(!row.storage_path.includes(row.name.slice(0, 5)), `the key ${row.storage_path} is not built from the name`);
        const stored = await readLocalObject(s3, row.storage_path);
        assert.equal(md5(stored.bytes), md5(expected), `S3 holds the bytes of ${row.name}`);
      }
      assert.ok(imported.some((r) => r.source_file_id === edge.expected.largeImageId && Number(r.size) === 20 * 1024 * 1024), 'the 20 MB image');
    });

    test('the gallery lists the imported images by source and job, page by page, and serves their bytes sandboxed', async () => {
      const [first] = (await db.dataSource.query(`SELECT id FROM import_jobs ORDER BY created_at LIMIT 1`)) as { id: string }[];
      const expected = edge.expected.imageIds.length - 1;
      const byJob = await api.get(`/images?job_id=${first?.id}&limit=100`);
      assert.equal(byJob.status, 200);
      assert.equal(byJob.body.total, expected);
      assert.equal((byJob.body.images as unknown[]).length, expected);
      assert.equal((await api.get('/images?source=dropbox')).body.total, 0);
      assert.equal((await api.get('/images?source=nowhere')).status, 400);

      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Record<string, unknown> } = await api.get(`/images?source=google_drive&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        for (const image of page.body.images as { id: string }[]) seen.add(image.id);
        cursor = page.body.next_cursor as string | null;
      } while (cursor);
      assert.equal(seen.size, expected, 'keyset pages cover every image once');

      const image = (byJob.body.images as { id: string; url: string; source_file_id: string; google_drive_id: string }[])[0];
      assert.ok(image);
      assert.equal(image.google_drive_id, image.source_file_id);
      const response = await api.fetch(image.url);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(md5(new Uint8Array(await response.arrayBuffer())), md5(bytesOf(image.source_file_id)));
      assert.equal((await api.get(`/images/${randomUUID()}`)).status, 404);
      const openApi = await api.get('/openapi.json');
      assert.equal(openApi.status, 200);
      assert.ok((openApi.body.paths as Record<string, unknown>)['/import/google-drive']);
    });

    test('retry fetches the failed file once the source gives it, and the job completes', async () => {
      const [first] = (await db.dataSource.query(`SELECT id FROM import_jobs ORDER BY created_at LIMIT 1`)) as { id: string }[];
      const jobId = first?.id ?? '';
      drive.control.clearFaults();
      const answer = await api.post(`/import/jobs/${jobId}/retry`);
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      const job = await api.waitForJob(jobId, (j) => ENDED.has(j.status));
      assert.equal(job.status, 'completed', JSON.stringify(job));
      assert.deepEqual([job.failed_files, job.processed_files, job.errors.length], [0, edge.expected.imageIds.length, 0]);
      const [poison] = await rows('source_file_id = $1', [poisonId]);
      assert.ok(poison, 'the formerly failing image is in the gallery');
      assert.equal(md5((await readLocalObject(s3, poison.storage_path)).bytes), md5(bytesOf(poisonId)));
      assert.equal((await api.post(`/import/jobs/${jobId}/retry`)).status, 409, 'nothing left to retry');
    });

    test('importing the same folder again adds no rows and writes no objects', async () => {
      const before = await rows(`source = 'google_drive'`, []);
      const stamps = new Map(await Promise.all(before.map(async (r) => [r.storage_path, (await readLocalObject(s3, r.storage_path)).lastModified] as const)));
      drive.control.clearFaults();
      const jobId = await importFolder(edge.folder.link);
      const job = await api.waitForJob(jobId, (j) => ENDED.has(j.status));
      assert.equal(job.status, 'completed', JSON.stringify(job));
      assert.equal(job.processed_files, edge.expected.imageIds.length);
      const afterRows = await rows(`source = 'google_drive'`, []);
      assert.equal(afterRows.length, before.length, 'no new row: every image was already there');
      for (const row of before) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: minio.bucket, Key: row.storage_path }));
        assert.equal(head.LastModified?.getTime(), stamps.get(row.storage_path), `${row.name} was not written again`);
      }
    });

    test('cancel stops a running job', async () => {
      drive.control.setLatency(40);
      const jobId = await importFolder(cancelled.link);
      await api.waitForJob(jobId, (j) => j.processed_files > 0 || ENDED.has(j.status));
      const answer = await api.post(`/import/jobs/${jobId}/cancel`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.status, 'cancelled');
      assert.equal((await api.post(`/import/jobs/${jobId}/cancel`)).status, 409, 'a second cancel conflicts');
      await sleep(3_000);
      const settled = (await rows('job_id = $1', [jobId])).length;
      await sleep(3_000);
      assert.equal((await rows('job_id = $1', [jobId])).length, settled, 'no file is imported after the job settled as cancelled');
      assert.ok(settled < 400, `the import stopped early (${settled} of 400 files)`);
      assert.equal((await api.job(jobId)).status, 'cancelled');
      drive.control.setLatency(0);
    });

    test('killing transfer and its sidecar with SIGKILL mid-import still ends with every file exactly once', async () => {
      drive.control.setLatency(15);
      const jobId = await importFolder(crashed.link);
      await api.waitForJob(jobId, (j) => j.processed_files >= 30 || ENDED.has(j.status));
      const transfer = system.apps.get('transfer');
      assert.ok(transfer);
      await transfer.crash();
      drive.control.setLatency(0);
      await system.restart('transfer');
      const job = await api.waitForJob(jobId, (j) => ENDED.has(j.status), 240_000);
      assert.equal(job.status, 'completed', JSON.stringify(job));
      assert.equal(job.processed_files, 300);
      const imported = await rows('job_id = $1', [jobId]);
      assert.equal(imported.length, 300);
      assert.equal(new Set(imported.map((r) => r.source_file_id)).size, 300, 'each file once');
      const [ledger] = (await db.dataSource.query(
        `SELECT count(*)::int AS done, count(DISTINCT image_id)::int AS images FROM import_files WHERE job_id = $1 AND status = 'done'`,
        [jobId],
      )) as { done: number; images: number }[];
      assert.deepEqual(ledger, { done: 300, images: 300 });
      for (const row of imported.slice(0, 20)) assert.equal(md5((await readLocalObject(s3, row.storage_path)).bytes), row.md5);
    });
  });
}
