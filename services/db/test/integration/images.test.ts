import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ImagesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob } from './fresh-job.fixture.js';
import { freshUser } from './fresh-user.fixture.js';
import { newImage } from './new-image.fixture.js';

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
    const owner = (await freshUser(db.dataSource)).id;
    const jobId = await freshJob(db.dataSource, { ownerId: owner });
    const image = (sourceFileId: string, size = 10) => newImage(owner, jobId, sourceFileId, { size });
    const first = await images.upsertMany([image('file-9'), image('file-10'), image('file-10')]);
    assert.equal(first.size, 2);
    const second = await images.upsertMany([image('file-9', 11), image('file-11')]);
    assert.equal(second.get('file-9'), first.get('file-9'), 'the second write updates the first row');
    assert.notEqual(second.get('file-11'), undefined);
    const found = await images.findBySourceFile(owner, 'google_drive', 'file-9');
    assert.deepEqual(found, { id: first.get('file-9'), md5: 'b'.repeat(32), contentHash: null, size: 11 });
    const rows = (await db.dataSource.query(`SELECT source_file_id, google_drive_id, width, owner_id FROM images WHERE job_id = $1 ORDER BY source_file_id`, [jobId])) as unknown[];
    assert.deepEqual(rows, [
      { source_file_id: 'file-10', google_drive_id: 'file-10', width: 2, owner_id: owner },
      { source_file_id: 'file-11', google_drive_id: 'file-11', width: 2, owner_id: owner },
      { source_file_id: 'file-9', google_drive_id: 'file-9', width: 2, owner_id: owner },
    ]);
    const dropbox = await images.upsertMany([{ ...image('id:x'), source: 'dropbox', contentHash: 'c'.repeat(64), width: null }]);
    const stored = await images.find(dropbox.get('id:x') ?? '');
    assert.deepEqual([stored?.googleDriveId, stored?.width, stored?.ownerId, (await images.findBySourceFile(owner, 'dropbox', 'id:x'))?.contentHash], [null, null, owner, 'c'.repeat(64)]);
    await assert.rejects(images.upsertMany([image('a'), { ...image('b'), source: 'url' }]), /one owner and one source/);
    await assert.rejects(images.upsertMany([image('a'), { ...image('b'), ownerId: null }]), /one owner and one source/);
    assert.deepEqual(await images.upsertMany([]), new Map());
  });

  test('an image whose name holds NUL is stored with the name made safe', async () => {
    const owner = (await freshUser(db.dataSource)).id;
    const written = await images.upsertMany([newImage(owner, null, 'nul', { source: 'url', name: '\u0000.png', storagePath: 'url/nul', md5: null, width: null, height: null })]);
    assert.equal((await images.find(written.get('nul') ?? ''))?.name, '\ufffd.png');
  });

  test('the same source file imported by two owners is two rows, each found and updated only by its owner', async () => {
    const [a, b] = [(await freshUser(db.dataSource)).id, (await freshUser(db.dataSource)).id];
    const file = `shared-${randomUUID()}`;
    const ofA = await images.upsertMany([newImage(a, await freshJob(db.dataSource, { ownerId: a }), file, { storagePath: `${a}/k` })]);
    const ofB = await images.upsertMany([newImage(b, await freshJob(db.dataSource, { ownerId: b }), file, { storagePath: `${b}/k`, size: 20 })]);
    assert.notEqual(ofA.get(file), ofB.get(file));
    assert.deepEqual((await images.findBySourceFiles(a, 'google_drive', [file])).get(file), { id: ofA.get(file), md5: 'b'.repeat(32), contentHash: null, size: 10 });
    assert.deepEqual((await images.findBySourceFiles(b, 'google_drive', [file])).get(file)?.id, ofB.get(file));
    await images.upsertMany([newImage(a, null, file, { size: 30 })]);
    assert.deepEqual([(await images.find(ofA.get(file) ?? ''))?.size, (await images.find(ofB.get(file) ?? ''))?.size], [30, 20], "A's re-import leaves B's row alone");
    assert.equal((await images.findBySourceFiles(null, 'google_drive', [file])).size, 0, 'nobody-owned rows are another owner');
  });

  test("an image nobody owns yet (from before accounts) is still one per source file: the upsert's conflict target is the NULLS NOT DISTINCT unique", async () => {
    const file = `unowned-${randomUUID()}`;
    const first = await images.upsertMany([newImage(null, null, file)]);
    const again = await images.upsertMany([newImage(null, null, file, { size: 12 })]);
    assert.equal(again.get(file), first.get(file));
    assert.deepEqual(await images.findBySourceFile(null, 'google_drive', file), { id: first.get(file), md5: 'b'.repeat(32), contentHash: null, size: 12 });
    assert.equal(await images.findBySourceFile((await freshUser(db.dataSource)).id, 'google_drive', file), undefined);
  });

  test("an owner's gallery holds only their images: findOwned, page and count, by source and by job too; find answers for any owner", async () => {
    const [a, b] = [(await freshUser(db.dataSource)).id, (await freshUser(db.dataSource)).id];
    const [jobOfA, jobOfB] = [await freshJob(db.dataSource, { ownerId: a }), await freshJob(db.dataSource, { ownerId: b })];
    const ofA = await images.upsertMany([newImage(a, jobOfA, 'a-1'), newImage(a, jobOfA, 'a-2')]);
    await images.upsertMany([newImage(a, null, 'a-url', { source: 'url' })]);
    const ofB = await images.upsertMany([newImage(b, jobOfB, 'b-1')]);
    const idOfA = ofA.get('a-1') ?? '';

    assert.deepEqual((await images.page({ ownerId: a }, 10, {})).map((i) => i.sourceFileId).sort(), ['a-1', 'a-2', 'a-url']);
    assert.deepEqual((await images.page({ ownerId: b }, 10, {})).map((i) => i.sourceFileId), ['b-1']);
    assert.deepEqual([await images.count({ ownerId: a }), await images.count({ ownerId: b })], [3, 1]);
    assert.deepEqual([await images.count({ ownerId: a, source: 'url' }), await images.count({ ownerId: b, source: 'url' })], [1, 0]);
    assert.deepEqual(await images.page({ ownerId: b, jobId: jobOfA }, 10, {}), [], "B's view of A's job is empty");
    assert.deepEqual([await images.count({ ownerId: b, jobId: jobOfA }), await images.count({ ownerId: a, jobId: jobOfA })], [0, 2]);

    assert.equal((await images.findOwned(idOfA, a))?.ownerId, a);
    assert.equal(await images.findOwned(idOfA, b), undefined, "another owner's image looks like no image");
    assert.equal(await images.findOwned(randomUUID(), a), undefined);
    assert.deepEqual([(await images.find(idOfA))?.ownerId, (await images.find(ofB.get('b-1') ?? ''))?.ownerId], [a, b]);
  });

  test("an owner's stored bytes are the sizes of their images only, exact past 2^32; none stored is 0", async () => {
    const [a, b] = [(await freshUser(db.dataSource)).id, (await freshUser(db.dataSource)).id];
    await images.upsertMany([newImage(a, null, 'big', { size: 5_000_000_000 }), newImage(a, null, 'small', { size: 7 })]);
    await images.upsertMany([newImage(b, null, 'big', { size: 100 })]);
    assert.deepEqual([await images.storedBytes(a), await images.storedBytes(b), await images.storedBytes((await freshUser(db.dataSource)).id)], [5_000_000_007, 100, 0]);
  });
});
