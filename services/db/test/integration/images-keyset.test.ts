import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ImagesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshUser } from './fresh-user.fixture.js';

describe('keyset pages of images', () => {
  let db: TestDatabase;
  let images: ImagesRepository;

  before(async () => {
    db = await createTestDatabase();
    images = new ImagesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('rows created within one millisecond are neither skipped nor repeated across pages', async () => {
    // Microseconds apart inside one millisecond, as a batch of fast inserts writes them.
    const owner = (await freshUser(db.dataSource)).id;
    const stamps = ['2026-11-21T10:00:00.123100Z', '2026-11-21T10:00:00.123200Z', '2026-11-21T10:00:00.123300Z', '2026-11-21T10:00:00.123400Z', '2026-11-21T10:00:00.123500Z', '2026-11-21T10:00:00.124000Z', '2026-11-21T10:00:00.122900Z'];
    for (const [i, at] of stamps.entries()) {
      await db.dataSource.query(
        `INSERT INTO images (id, owner_id, source, source_file_id, name, mime_type, size, storage_path, created_at) VALUES ($1, $2, 'url', $3, $4, 'image/png', 1, $5, $6)`,
        [randomUUID(), owner, `keyset-${i}`, `keyset-${i}.png`, `url/keyset-${i}`, at],
      );
    }
    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | undefined;
    for (let page = 0; page < 10; page++) {
      const rows = await images.page({ ownerId: owner, source: 'url' }, 2, cursor ? { cursor } : {});
      seen.push(...rows.map((r) => r.sourceFileId));
      const last = rows.at(-1);
      if (!last || rows.length < 2) break;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    assert.equal(seen.length, stamps.length, `every row once: ${seen.join(', ')}`);
    assert.equal(new Set(seen).size, stamps.length);
  });
});
