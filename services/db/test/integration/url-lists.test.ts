import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { UrlListsRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';

describe('URL lists in PostgreSQL', () => {
  let db: TestDatabase;
  let lists: UrlListsRepository;

  before(async () => {
    db = await createTestDatabase();
    lists = new UrlListsRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('lines are stored in chunks and read back a page at a time, in order; a repeated chunk changes nothing', async () => {
    const listId = randomUUID();
    await lists.append(listId, 1, ['https://e.x/1.png', 'https://e.x/2.png']);
    await lists.append(listId, 3, ['https://e.x/3.png']);
    await lists.append(listId, 1, ['https://e.x/other.png']);
    assert.deepEqual(await lists.page(listId, 0, 2), [
      { position: 1, url: 'https://e.x/1.png' },
      { position: 2, url: 'https://e.x/2.png' },
    ]);
    assert.deepEqual(await lists.page(listId, 2, 2), [{ position: 3, url: 'https://e.x/3.png' }]);
  });

  test('a line with NUL or another control character is stored, and read back made safe', async () => {
    const listId = randomUUID();
    await lists.append(listId, 1, ['http://h/a\u0000.png', 'http://h/\u001b[2J.png', 'http://h/%00.png']);
    assert.deepEqual(await lists.page(listId, 0, 10), [
      { position: 1, url: 'http://h/a\ufffd.png' },
      { position: 2, url: 'http://h/\ufffd[2J.png' },
      { position: 3, url: 'http://h/%00.png' },
    ]);
  });
});
