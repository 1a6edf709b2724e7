import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApiKeysRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshTokenHash, freshUser } from './fresh-user.fixture.js';

describe('API keys in PostgreSQL', () => {
  let db: TestDatabase;
  let keys: ApiKeysRepository;

  before(async () => {
    db = await createTestDatabase();
    keys = new ApiKeysRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('a key is stored by its hash and comes back without it; found by the hash with its user', async () => {
    const user = await freshUser(db.dataSource);
    const keyHash = freshTokenHash();
    const created = await keys.create({ userId: user.id, name: 'laptop', prefix: 'imp_AbCdEfGh', keyHash });
    assert.equal('keyHash' in created, false);
    assert.deepEqual(
      { userId: created.userId, name: created.name, prefix: created.prefix, lastUsedAt: created.lastUsedAt, revokedAt: created.revokedAt },
      { userId: user.id, name: 'laptop', prefix: 'imp_AbCdEfGh', lastUsedAt: null, revokedAt: null },
    );
    assert.deepEqual(await keys.findActiveByHash(keyHash), { key: created, user });
    assert.equal(await keys.findActiveByHash(freshTokenHash()), undefined);
  });

  test('two keys never share a hash', async () => {
    const user = await freshUser(db.dataSource);
    const keyHash = freshTokenHash();
    await keys.create({ userId: user.id, name: 'a', prefix: 'imp_a', keyHash });
    await assert.rejects(keys.create({ userId: user.id, name: 'b', prefix: 'imp_b', keyHash }), /api_keys_key_hash/);
  });

  test("a user's list has their keys that are not revoked, newest first, and nobody else's", async () => {
    const user = await freshUser(db.dataSource);
    const other = await freshUser(db.dataSource);
    const first = await keys.create({ userId: user.id, name: 'first', prefix: 'imp_1', keyHash: freshTokenHash() });
    const revoked = await keys.create({ userId: user.id, name: 'revoked', prefix: 'imp_2', keyHash: freshTokenHash() });
    const last = await keys.create({ userId: user.id, name: 'last', prefix: 'imp_3', keyHash: freshTokenHash() });
    await keys.create({ userId: other.id, name: 'theirs', prefix: 'imp_4', keyHash: freshTokenHash() });
    await keys.revoke(user.id, revoked.id, new Date());
    assert.deepEqual((await keys.listForUser(user.id)).map((k) => k.name), [last.name, first.name]);
  });

  test('only its owner revokes a key, once; a revoked key is found no more', async () => {
    const owner = await freshUser(db.dataSource);
    const other = await freshUser(db.dataSource);
    const keyHash = freshTokenHash();
    const key = await keys.create({ userId: owner.id, name: 'ci', prefix: 'imp_ci', keyHash });
    assert.equal(await keys.revoke(other.id, key.id, new Date()), false, "another user's key looks like no key");
    assert.ok(await keys.findActiveByHash(keyHash));
    assert.equal(await keys.revoke(owner.id, key.id, new Date()), true);
    assert.equal(await keys.revoke(owner.id, key.id, new Date()), false);
    assert.equal(await keys.revoke(owner.id, randomUUID(), new Date()), false);
    assert.equal(await keys.findActiveByHash(keyHash), undefined);
  });

  test('touch records when the key was last used', async () => {
    const user = await freshUser(db.dataSource);
    const keyHash = freshTokenHash();
    const key = await keys.create({ userId: user.id, name: 'script', prefix: 'imp_s', keyHash });
    const at = new Date('2026-03-04T05:06:07.089Z');
    await keys.touch(key.id, at);
    assert.deepEqual((await keys.findActiveByHash(keyHash))?.key.lastUsedAt, at);
  });

  test('a name with control characters is stored made safe', async () => {
    const user = await freshUser(db.dataSource);
    const key = await keys.create({ userId: user.id, name: 'a\u0000b\u001b[2J', prefix: 'imp_x', keyHash: freshTokenHash() });
    assert.equal(key.name, 'a\ufffdb\ufffd[2J');
  });

  test('deleting a user deletes their keys', async () => {
    const user = await freshUser(db.dataSource);
    const keyHash = freshTokenHash();
    await keys.create({ userId: user.id, name: 'gone', prefix: 'imp_g', keyHash });
    await db.dataSource.query(`DELETE FROM users WHERE id = $1`, [user.id]);
    assert.equal(await keys.findActiveByHash(keyHash), undefined);
    assert.deepEqual(await keys.listForUser(user.id), []);
  });
});
