import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isDataError, sqlState } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';

describe('PostgreSQL errors as the services read them', () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });

  after(async () => {
    await db?.drop();
  });

  test('PostgreSQL refuses NUL as a data error (class 22), which is what the lister treats as permanent', async () => {
    const refusal = await db.dataSource.query(`SELECT $1::text AS t`, ['a\u0000b']).then(() => undefined, (error: unknown) => error);
    assert.equal(sqlState(refusal), '22021');
    assert.equal(isDataError(refusal), true);
  });
});
