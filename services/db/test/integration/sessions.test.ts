import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SessionsRepository, UsersRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshTokenHash, freshUser } from './fresh-user.fixture.js';

const HOUR = 3_600_000;
const inHours = (hours: number, from = new Date()) => new Date(from.getTime() + hours * HOUR);

describe('sessions in PostgreSQL', () => {
  let db: TestDatabase;
  let sessions: SessionsRepository;

  before(async () => {
    db = await createTestDatabase();
    sessions = new SessionsRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('a session is found by its id with its user until it expires', async () => {
    const user = await freshUser(db.dataSource);
    const id = freshTokenHash();
    const expiresAt = inHours(1);
    await sessions.create({ id, userId: user.id, expiresAt });
    const found = await sessions.findActive(id, new Date());
    assert.ok(found);
    assert.deepEqual(found.user, user);
    assert.deepEqual({ id: found.session.id, userId: found.session.userId, expiresAt: found.session.expiresAt }, { id, userId: user.id, expiresAt });
    assert.ok(found.session.createdAt instanceof Date && found.session.lastSeenAt instanceof Date);
    assert.equal(await sessions.findActive(id, expiresAt), undefined, 'expired at its expiry');
    assert.equal(await sessions.findActive(freshTokenHash(), new Date()), undefined);
  });

  test("a disabled user's session is still found, with the user's disabled_at for the caller to refuse", async () => {
    const user = await freshUser(db.dataSource);
    const id = freshTokenHash();
    await sessions.create({ id, userId: user.id, expiresAt: inHours(1) });
    const at = new Date();
    await new UsersRepository(db.dataSource).setDisabledAt(user.id, at);
    assert.deepEqual((await sessions.findActive(id, new Date()))?.user.disabledAt, at);
  });

  test('touch records the use and moves the expiry later, never earlier; an expired session is not touched', async () => {
    const user = await freshUser(db.dataSource);
    const id = freshTokenHash();
    const now = new Date();
    await sessions.create({ id, userId: user.id, expiresAt: inHours(1, now) });
    const later = inHours(0.5, now);
    assert.equal(await sessions.touch(id, later, inHours(2, later)), true);
    const touched = (await sessions.findActive(id, later))?.session;
    assert.deepEqual({ lastSeenAt: touched?.lastSeenAt, expiresAt: touched?.expiresAt }, { lastSeenAt: later, expiresAt: inHours(2, later) });
    assert.equal(await sessions.touch(id, later, inHours(1, now)), true);
    assert.deepEqual((await sessions.findActive(id, later))?.session.expiresAt, inHours(2, later), 'an earlier expiry is not taken');
    assert.equal(await sessions.touch(id, inHours(3, later), inHours(5, later)), false, 'an expired session stays expired');
    assert.equal(await sessions.findActive(id, inHours(3, later)), undefined);
  });

  test('revoke ends one session; a second revoke finds none', async () => {
    const user = await freshUser(db.dataSource);
    const [ended, kept] = [freshTokenHash(), freshTokenHash()];
    await sessions.create({ id: ended, userId: user.id, expiresAt: inHours(1) });
    await sessions.create({ id: kept, userId: user.id, expiresAt: inHours(1) });
    assert.equal(await sessions.revoke(ended), true);
    assert.equal(await sessions.revoke(ended), false);
    assert.equal(await sessions.findActive(ended, new Date()), undefined);
    assert.ok(await sessions.findActive(kept, new Date()));
  });

  test("revokeAllOfUser ends the user's sessions but the one kept, and no other user's", async () => {
    const user = await freshUser(db.dataSource);
    const other = await freshUser(db.dataSource);
    const [keep, a, b, others] = [freshTokenHash(), freshTokenHash(), freshTokenHash(), freshTokenHash()];
    for (const id of [keep, a, b]) await sessions.create({ id, userId: user.id, expiresAt: inHours(1) });
    await sessions.create({ id: others, userId: other.id, expiresAt: inHours(1) });
    assert.equal(await sessions.revokeAllOfUser(user.id, keep), 2);
    assert.ok(await sessions.findActive(keep, new Date()));
    assert.ok(await sessions.findActive(others, new Date()));
    assert.equal(await sessions.revokeAllOfUser(user.id), 1, 'without one to keep, every session ends');
    assert.equal(await sessions.findActive(keep, new Date()), undefined);
  });

  test('deleteExpired deletes the sessions expired by then and keeps the rest', async () => {
    const user = await freshUser(db.dataSource);
    const now = new Date();
    const [expired, live] = [freshTokenHash(), freshTokenHash()];
    await sessions.create({ id: expired, userId: user.id, expiresAt: inHours(-1, now) });
    await sessions.create({ id: live, userId: user.id, expiresAt: inHours(1, now) });
    assert.ok((await sessions.deleteExpired(now)) >= 1);
    const ids = (await db.dataSource.query(`SELECT id FROM sessions WHERE user_id = $1`, [user.id])) as { id: string }[];
    assert.deepEqual(ids, [{ id: live }]);
  });

  test('deleting a user deletes their sessions', async () => {
    const user = await freshUser(db.dataSource);
    const id = freshTokenHash();
    await sessions.create({ id, userId: user.id, expiresAt: inHours(1) });
    await db.dataSource.query(`DELETE FROM users WHERE id = $1`, [user.id]);
    assert.equal(await sessions.revoke(id), false);
  });
});
