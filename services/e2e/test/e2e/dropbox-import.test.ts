import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { localPlatform, localS3Client, readLocalObject, type RunningSystem, startSystem } from '@importer/devkit';
import { type DropboxFileNode, DropboxModel, generatePng, type RunningDropboxEmulator, startDropboxEmulator } from '@importer/emulators';
import sharp from 'sharp';
import { ApiClient, E2E_ADMIN_ENV, ENDED } from '../../src/api-client.js';

const { minio } = localPlatform;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

interface ImageRow {
  source: string;
  source_file_id: string;
  google_drive_id: string | null;
  name: string;
  size: number;
  md5: string;
  storage_path: string;
  mime_type: string;
  width: number | null;
}

describe('importing a Dropbox shared folder end to end', () => {
  let api = new ApiClient('http://127.0.0.1:3000');
  const s3 = localS3Client();
  // A fresh seed gives fresh file ids, so every run writes objects of its own.
  const model = new DropboxModel(`e2e-${randomUUID()}`);
  const { folder: root, link } = model.sharedFolder('Holiday');
  const images: DropboxFileNode[] = [];
  for (let i = 0; i < 7; i++) images.push(root.image(`beach-${i}.png`, 3_000 + i * 500));
  root.file('notes.txt', Buffer.from('packing list'));
  root.file('plan.paper', Buffer.from('a Paper doc'), { isDownloadable: false });
  const day = root.folder('Day 1');
  for (let i = 0; i < 4; i++) images.push(day.image(`Sea ${i}.PNG`, 2_000 + i));
  day.file('clip.mov', Buffer.alloc(1_000, 7));
  const night = day.folder('Night – 夜');
  images.push(night.image('stars.png', 6 * 1024 * 1024), night.image('moon.png', 4_000));
  const refused = night.image('private.png', 2_500);
  root.folder('Empty');
  const expectedImages = images.length;
  const expectedSkipped = 3;
  let db: TestDatabase;
  let dropbox: RunningDropboxEmulator;
  let system: RunningSystem;

  const rows = (where: string, params: unknown[]) => db.dataSource.query(`SELECT * FROM images WHERE ${where}`, params) as Promise<ImageRow[]>;
  const objectBytes = async (key: string) => (await readLocalObject(s3, key)).bytes;

  before(async () => {
    db = await createTestDatabase('importer_e2e_dropbox');
    dropbox = await startDropboxEmulator({ model, apps: [{ key: 'e2e-app', secret: 'e2e-secret' }] });
    system = await startSystem({
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        DROPBOX_APP_KEY: 'e2e-app',
        DROPBOX_APP_SECRET: 'e2e-secret',
        DROPBOX_API_URL: dropbox.apiUrl,
        DROPBOX_CONTENT_URL: dropbox.contentUrl,
        DROPBOX_PAGE_SIZE: '3',
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
    await dropbox?.close();
    await db?.drop();
    s3.destroy();
  });

  test('a link that is not a shared-folder link gets a 400 saying what one looks like; an unknown link a 404', async () => {
    const file = 'https://www.dropbox.com/scl/fi/8kll7yvbgogkp0vahowvm/photo.jpg?rlkey=8cp7scxgw25yt4wp8v2c2v8mp&dl=0';
    const noKey = link.url.replace(/rlkey=\w+&?/, '');
    for (const folderUrl of ['not a link', file, noKey, 'https://drive.google.com/drive/folders/1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV']) {
      const answer = await api.post('/import/dropbox', { folder_url: folderUrl });
      assert.equal(answer.status, 400, folderUrl);
      const error = answer.body.error as { code: string; message: string };
      assert.equal(error.code, 'not_a_folder_link');
      assert.match(error.message, /dropbox\.com\/scl\/fo\//, 'the message shows what a folder link looks like');
    }
    const unknown = await api.post('/import/dropbox', { folder_url: link.url.replace(/\/fo\/\w+/, '/fo/nosuchlink0000000000x') });
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
    assert.equal((unknown.body.error as { code: string }).code, 'folder_not_found');
  });

  test('a folder with subfolders over several pages, non-images and a refused file, under 429s and faults, lands in S3 byte for byte', async () => {
    dropbox.control.addFaults(
      { route: 'list_folder', responses: [{ type: 'rateLimit', retryAfter: 1 }, { type: 'status', status: 503 }] },
      { route: 'list_folder/continue', responses: [{ type: 'rateLimit', retryAfter: 1, body: 'text' }] },
      { route: 'get_shared_link_file', path: `/Day 1/Night – 夜/${refused.name}`, responses: [{ type: 'conflict', error: { '.tag': 'shared_link_access_denied' } }], repeat: true },
      {
        route: 'get_shared_link_file',
        responses: [{ type: 'rateLimit', retryAfter: 1 }, { type: 'status', status: 503 }, { type: 'resetMidBody' }, { type: 'corrupt' }],
      },
    );
    // The link as people paste it from the browser: dl= and st= are dropped, the rlkey kept.
    const answer = await api.post('/import/dropbox', { folder_url: `${link.url}&st=x1y2z3w4` });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.match(String(answer.body.message), /"Holiday"/);
    const jobId = String(answer.body.job_id);
    const job = await api.waitForJob(jobId, (j) => ENDED.has(j.status));

    assert.equal(job.status, 'completed_with_errors', JSON.stringify(job));
    assert.equal(job.source, 'dropbox');
    assert.equal(job.total_files, expectedImages + 1 + expectedSkipped);
    assert.equal(job.processed_files, expectedImages);
    assert.equal(job.skipped_files, expectedSkipped);
    assert.equal(job.failed_files, 1);
    assert.equal(job.progress_percent, 100);
    assert.equal(job.errors[0]?.source_file_id, refused.id);
    assert.match(job.errors[0]?.reason ?? '', /^shared_link_access_denied: .*does not allow access/);
    const counters = dropbox.control.counters();
    assert.ok(counters.routes['list_folder/continue'] >= 4, `several pages were listed (${counters.routes['list_folder/continue']} continues)`);
    assert.equal(dropbox.control.pendingFaults(), 1, 'every one-off fault was met (only the permanent refusal is left)');

    const imported = await rows('job_id = $1', [jobId]);
    assert.deepEqual(imported.map((r) => r.source_file_id).sort(), images.map((f) => f.id).sort());
    for (const row of imported) {
      const expected = images.find((f) => f.id === row.source_file_id)?.content;
      assert.ok(expected);
      assert.equal(row.source, 'dropbox');
      assert.equal(row.google_drive_id, null);
      assert.equal(Number(row.size), expected.length, row.name);
      assert.equal(row.md5, md5(expected), row.name);
      assert.equal(row.mime_type, 'image/png');
      assert.ok(row.width && row.width > 0, 'dimensions read from the bytes');
      assert.equal(md5(await objectBytes(row.storage_path)), md5(expected), `S3 holds the bytes of ${row.name}`);
    }
    const [ledger] = (await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'skipped')::int AS skipped, count(*) FILTER (WHERE status = 'done')::int AS done FROM import_files WHERE job_id = $1`,
      [jobId],
    )) as { skipped: number; done: number }[];
    assert.deepEqual(ledger, { skipped: expectedSkipped, done: expectedImages });
  });

  test('the gallery filters by source', async () => {
    const byDropbox = await api.get('/images?source=dropbox&limit=100');
    assert.equal(byDropbox.status, 200);
    assert.equal(byDropbox.body.total, expectedImages);
    assert.equal((await api.get('/images?source=google_drive')).body.total, 0);
    const openApi = await api.get('/openapi.json');
    assert.ok((openApi.body.paths as Record<string, unknown>)['/import/dropbox']);
  });
  test('every image gets a decodable WebP preview of at most 400 px beside it, the large one scaled down', async () => {
    const deadline = Date.now() + 60_000;
    let rowsWithPreviews: { id: string; storage_path: string; preview_path: string | null; preview_width: number; preview_height: number; width: number }[] = [];
    do {
      rowsWithPreviews = (await db.dataSource.query(`SELECT id, storage_path, preview_path, preview_width, preview_height, width FROM images WHERE source = 'dropbox'`)) as typeof rowsWithPreviews;
      if (rowsWithPreviews.length === expectedImages && rowsWithPreviews.every((r) => r.preview_path)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } while (Date.now() < deadline);
    assert.equal(rowsWithPreviews.filter((r) => r.preview_path).length, expectedImages, 'a preview for every image');
    for (const row of rowsWithPreviews) {
      assert.equal(row.preview_path, `${row.storage_path}.preview.webp`);
      const meta = await sharp(await objectBytes(row.preview_path ?? '')).metadata();
      assert.equal(meta.format, 'webp');
      assert.deepEqual([meta.width, meta.height], [row.preview_width, row.preview_height]);
      assert.ok(Math.max(meta.width ?? 0, meta.height ?? 0) <= 400);
    }
    assert.ok(rowsWithPreviews.some((r) => r.width > 400 && r.preview_width === 400), 'the 6 MB image is scaled down to 400 px');
  });
  test('importing the folder again writes nothing that did not change; a file edited in Dropbox is fetched again', async () => {
    const before = await rows(`source = 'dropbox'`, []);
    const stamps = new Map(
      await Promise.all(before.map(async (r) => [r.storage_path, (await s3.send(new HeadObjectCommand({ Bucket: minio.bucket, Key: r.storage_path }))).LastModified?.getTime()] as const)),
    );
    const [edited] = images;
    assert.ok(edited);
    const newBytes = Buffer.concat([...generatePng(`${edited.id}-edited`, 4_321)]);
    root.rewrite(edited, newBytes);
    const answer = await api.post('/import/dropbox', { folder_url: link.url });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const job = await api.waitForJob(String(answer.body.job_id), (j) => ENDED.has(j.status));
    assert.equal(job.processed_files, expectedImages, JSON.stringify(job));
    const after = await rows(`source = 'dropbox'`, []);
    assert.equal(after.length, before.length, 'no new row');
    for (const row of after) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: minio.bucket, Key: row.storage_path }));
      if (row.source_file_id === edited.id) {
        assert.equal(row.md5, md5(newBytes), 'the edited file has its new bytes');
        assert.equal(md5(await objectBytes(row.storage_path)), md5(newBytes));
      } else {
        assert.equal(head.LastModified?.getTime(), stamps.get(row.storage_path), `${row.name} was not written again`);
      }
    }
  });
});
