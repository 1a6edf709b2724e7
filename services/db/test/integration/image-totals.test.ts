import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ImagesRepository, migrations } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob } from './fresh-job.fixture.js';
import { freshUser } from './fresh-user.fixture.js';
import { newImage } from './new-image.fixture.js';

/** The counters' rows that disagree with a count over images itself: none, when the triggers kept them. */
async function driftedGroups(db: TestDatabase): Promise<unknown[]> {
  // EXCEPT compares NULLs (images of no job or no owner yet) as equal, where a join on them would not.
  const counted = `SELECT owner_id, source, job_id, count(*)::int AS images, sum(size)::int AS bytes FROM images GROUP BY 1, 2, 3`;
  const kept = `SELECT owner_id, source, job_id, images::int, bytes::int FROM image_totals WHERE images <> 0 OR bytes <> 0`;
  return db.dataSource.query(`(${counted} EXCEPT ${kept}) UNION ALL (${kept} EXCEPT ${counted})`);
}

describe('image_totals: the gallery total and stored bytes without a count over images', () => {
  let db: TestDatabase;
  let images: ImagesRepository;

  before(async () => {
    db = await createTestDatabase();
    images = new ImagesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('insert, an upsert that conflicts, delete, a deleted job and a claimed owner keep count and storedBytes exact per filter', async () => {
    const owner = (await freshUser(db.dataSource)).id;
    const [jobA, jobB] = [await freshJob(db.dataSource, { ownerId: owner }), await freshJob(db.dataSource, { ownerId: owner })];
    await images.upsertMany([newImage(owner, jobA, 'a1', { size: 100 }), newImage(owner, jobA, 'a2', { size: 200 }), newImage(owner, jobA, 'a2', { size: 200 })]);
    await images.upsertMany([newImage(owner, jobB, 'b1', { source: 'dropbox', size: 1000 })]);
    assert.deepEqual(
      [await images.count({ ownerId: owner }), await images.count({ ownerId: owner, jobId: jobA }), await images.count({ ownerId: owner, source: 'dropbox' })],
      [3, 2, 1],
    );
    assert.equal(await images.storedBytes(owner), 1300);

    // The same files again, one of them bigger now, and one new: the conflict updates rows, so only the new one counts.
    await images.upsertMany([newImage(owner, jobA, 'a1', { size: 150 }), newImage(owner, jobA, 'a2', { size: 200 }), newImage(owner, jobA, 'a3', { size: 1 })]);
    assert.deepEqual([await images.count({ ownerId: owner, jobId: jobA }), await images.storedBytes(owner)], [3, 1351]);

    await db.dataSource.query(`DELETE FROM images WHERE owner_id = $1 AND source_file_id = 'a3'`, [owner]);
    assert.deepEqual([await images.count({ ownerId: owner, source: 'google_drive' }), await images.storedBytes(owner)], [2, 1350]);

    // A deleted job leaves its images with no job: still the owner's, no longer the job's.
    await db.dataSource.query(`DELETE FROM import_jobs WHERE id = $1`, [jobB]);
    assert.deepEqual([await images.count({ ownerId: owner, jobId: jobB }), await images.count({ ownerId: owner, source: 'dropbox' }), await images.count({ ownerId: owner })], [0, 1, 3]);

    // Images nobody owned yet, claimed by a user (as the first administrator claims them), move to that user's total.
    const claimer = (await freshUser(db.dataSource)).id;
    await images.upsertMany([newImage(null, null, 'orphan', { size: 7 })]);
    assert.equal(await images.storedBytes(claimer), 0);
    await db.dataSource.query(`UPDATE images SET owner_id = $1 WHERE owner_id IS NULL`, [claimer]);
    assert.deepEqual([await images.count({ ownerId: claimer }), await images.storedBytes(claimer)], [1, 7]);

    // A preview written changes no total.
    const [row] = (await db.dataSource.query(`SELECT id FROM images WHERE owner_id = $1 LIMIT 1`, [owner])) as { id: string }[];
    await images.setPreview(row?.id ?? '', { path: 'p', width: 1, height: 1 }, { width: 1, height: 1 });
    assert.deepEqual([await images.count({ ownerId: owner }), await images.storedBytes(owner)], [3, 1350]);
    assert.deepEqual(await driftedGroups(db), []);
  });

  test('the migration counts the images already there, and a truncate empties the totals', async () => {
    const owner = (await freshUser(db.dataSource)).id;
    const job = await freshJob(db.dataSource, { ownerId: owner });
    await images.upsertMany([newImage(owner, job, 'm1', { size: 5 }), newImage(owner, job, 'm2', { size: 6 })]);
    const migration = migrations.find((m) => m.name === 'ImageTotals1763762400000');
    assert.ok(migration);
    const runner = db.dataSource.createQueryRunner();
    try {
      await new migration().down(runner);
      await images.upsertMany([newImage(owner, job, 'm3', { size: 7 })]);
      await new migration().up(runner);
    } finally {
      await runner.release();
    }
    assert.deepEqual([await images.count({ ownerId: owner, jobId: job }), await images.storedBytes(owner)], [3, 18]);
    assert.deepEqual(await driftedGroups(db), []);
    await db.dataSource.query(`TRUNCATE images CASCADE`);
    assert.deepEqual([await images.count({ ownerId: owner }), await images.storedBytes(owner)], [0, 0]);
  });
});
