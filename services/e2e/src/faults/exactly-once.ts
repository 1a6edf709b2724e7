import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readLocalObject } from '@importer/devkit';
import type { DriveFolder } from '@importer/emulators';
import { FAULT_IMPORT, type FaultBench } from './fault-bench.js';

interface ImageRow {
  id: string;
  source_file_id: string;
  storage_path: string;
  md5: string;
  size: string;
}

/** Objects read back from S3 at once while checking bytes. */
const READ_CONCURRENCY = 16;

/**
 * Objects whose bytes are read back, a random sample: reading all 1,500 took ~10 s per fault here (MinIO shares two
 * cores with the previews still being made), and every row's md5 is checked against the source anyway.
 */
const S3_SAMPLE = 250;

/** `count` rows picked at random, each at most once. */
function sample<T>(rows: readonly T[], count: number): T[] {
  const pool = [...rows];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** The md5 the source lists for each file of the folder, by file id. */
function sourceMd5s(bench: FaultBench, folder: DriveFolder): Map<string, string> {
  const items = bench.model.childrenSlice(folder.id, 0, FAULT_IMPORT.files + 1);
  return new Map(items.flatMap((item) => (item.type === 'file' ? [[item.id, bench.model.md5(item)] as const] : [])));
}

/**
 * Every file of the folder imported exactly once, byte for byte: one image row per source file and no other, each
 * recording the source's md5, the ledger's rows all done with distinct images, and a sample of the objects in S3
 * holding the source's bytes.
 */
export async function assertImportedExactlyOnce(bench: FaultBench, jobId: string, folder: DriveFolder): Promise<void> {
  const expected = sourceMd5s(bench, folder);
  assert.equal(expected.size, FAULT_IMPORT.files, 'the emulator lists the whole folder');

  const rows = (await bench.db.dataSource.query(`SELECT id, source_file_id, storage_path, md5, size FROM images WHERE job_id = $1`, [jobId])) as ImageRow[];
  assert.equal(rows.length, FAULT_IMPORT.files, 'one image row per file');
  assert.equal(new Set(rows.map((r) => r.source_file_id)).size, FAULT_IMPORT.files, 'no source file has two rows');
  assert.deepEqual(rows.map((r) => r.source_file_id).sort(), [...expected.keys()].sort(), 'the rows are the folder’s files');
  for (const row of rows) {
    assert.equal(row.md5, expected.get(row.source_file_id), `the row of ${row.source_file_id} records the source's md5`);
    assert.equal(Number(row.size), FAULT_IMPORT.fileSize, `the row of ${row.source_file_id} records its size`);
  }

  const ledger = (await bench.db.dataSource.query(
    `SELECT f.status, count(*)::int AS files, count(DISTINCT f.image_id)::int AS images, count(i.id)::int AS matched
       FROM import_files f LEFT JOIN images i ON i.id = f.image_id AND i.source_file_id = f.source_file_id
      WHERE f.job_id = $1 GROUP BY f.status`,
    [jobId],
  )) as { status: string; files: number; images: number; matched: number }[];
  assert.deepEqual(ledger, [{ status: 'done', files: FAULT_IMPORT.files, images: FAULT_IMPORT.files, matched: FAULT_IMPORT.files }], 'the ledger: every file done, each with its own image');

  const queue = sample(rows, S3_SAMPLE);
  const readers = Array.from({ length: READ_CONCURRENCY }, async () => {
    for (let row = queue.pop(); row; row = queue.pop()) {
      const stored = await readLocalObject(bench.s3, row.storage_path);
      assert.equal(md5(stored.bytes), expected.get(row.source_file_id), `S3 holds the source's bytes at ${row.storage_path}`);
    }
  });
  await Promise.all(readers);
}
