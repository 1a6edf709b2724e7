import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ImagesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob } from './fresh-job.fixture.js';

describe('the images table', () => {
  let db: TestDatabase;
  let images: ImagesRepository;

  before(async () => {
    db = await createTestDatabase();
    images = new ImagesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('a batch upsert inserts once and updates the same rows after; a file listed twice is one row; Drive images keep their id in google_drive_id', async () => {
    const jobId = await freshJob(db.dataSource);
    const image = (sourceFileId: string, size = 10) => ({
      id: randomUUID(), source: 'google_drive', sourceFileId, jobId, name: `${sourceFileId}.png`, mimeType: 'image/png', size,
      storagePath: `google_drive/${sourceFileId}`, md5: 'b'.repeat(32), width: 2, height: 3,
    });
    const first = await images.upsertMany([image('file-9'), image('file-10'), image('file-10')]);
    assert.equal(first.size, 2);
    const second = await images.upsertMany([image('file-9', 11), image('file-11')]);
    assert.equal(second.get('file-9'), first.get('file-9'), 'the second write updates the first row');
    assert.notEqual(second.get('file-11'), undefined);
    const found = await images.findBySourceFile('google_drive', 'file-9');
    assert.deepEqual(found, { id: first.get('file-9'), md5: 'b'.repeat(32), contentHash: null, size: 11 });
    const rows = (await db.dataSource.query(`SELECT source_file_id, google_drive_id, width FROM images WHERE job_id = $1 ORDER BY source_file_id`, [jobId])) as unknown[];
    assert.deepEqual(rows, [
      { source_file_id: 'file-10', google_drive_id: 'file-10', width: 2 },
      { source_file_id: 'file-11', google_drive_id: 'file-11', width: 2 },
      { source_file_id: 'file-9', google_drive_id: 'file-9', width: 2 },
    ]);
    const dropbox = await images.upsertMany([{ ...image('id:x'), source: 'dropbox', contentHash: 'c'.repeat(64), width: null }]);
    const stored = await images.find(dropbox.get('id:x') ?? '');
    assert.deepEqual([stored?.googleDriveId, stored?.width, (await images.findBySourceFile('dropbox', 'id:x'))?.contentHash], [null, null, 'c'.repeat(64)]);
    await assert.rejects(images.upsertMany([image('a'), { ...image('b'), source: 'url' }]), /one source/);
    assert.deepEqual(await images.upsertMany([]), new Map());
  });

  test('an image whose name holds NUL is stored with the name made safe', async () => {
    const written = await images.upsertMany([
      { id: randomUUID(), source: 'url', sourceFileId: 'nul', jobId: null, name: '\u0000.png', mimeType: 'image/png', size: 1, storagePath: 'url/nul', md5: null, width: null, height: null },
    ]);
    assert.equal((await images.find(written.get('nul') ?? ''))?.name, '\ufffd.png');
  });
});
