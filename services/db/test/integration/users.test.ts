import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { UsersRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob } from './fresh-job.fixture.js';
import { freshEmail, freshUser } from './fresh-user.fixture.js';

describe('users in PostgreSQL', () => {
  let db: TestDatabase;
  let users: UsersRepository;

  before(async () => {
    db = await createTestDatabase();
    users = new UsersRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('a user is stored with the email lower-cased and found by it in any case', async () => {
    const email = freshEmail();
    const created = await users.create({ email: email.toUpperCase(), passwordHash: '$argon2id$h', role: 'user' });
    if (created === 'email_taken') assert.fail('a fresh email was taken');
    assert.equal(created.email, email);
    assert.deepEqual(
      { passwordHash: created.passwordHash, role: created.role, disabledAt: created.disabledAt, webhookSecretVersion: created.webhookSecretVersion, createdAt: created.createdAt instanceof Date },
      { passwordHash: '$argon2id$h', role: 'user', disabledAt: null, webhookSecretVersion: 1, createdAt: true },
    );
    assert.deepEqual(await users.findByEmail(email.replace('user-', 'User-')), created);
    assert.deepEqual(await users.findById(created.id), created);
    assert.equal(await users.findByEmail(freshEmail()), undefined);
    assert.equal(await users.findById(randomUUID()), undefined);
  });

  test('an email taken in another case answers email_taken and changes nothing', async () => {
    const first = await freshUser(db.dataSource);
    assert.equal(await users.create({ email: first.email.toUpperCase(), passwordHash: null, role: 'admin' }), 'email_taken');
    assert.deepEqual(await users.findByEmail(first.email), first);
  });

  test('the table itself refuses a mixed-case email and an unknown role', async () => {
    await assert.rejects(
      db.dataSource.query(`INSERT INTO users (id, email, role) VALUES ($1, 'Mixed@Example.com', 'user')`, [randomUUID()]),
      /users_email_lower_check/,
    );
    await assert.rejects(db.dataSource.query(`INSERT INTO users (id, email, role) VALUES ($1, $2, 'owner')`, [randomUUID(), freshEmail()]), /users_role_check/);
  });

  test('a password hash is replaced or cleared, and a user disabled and enabled again; an unknown id answers false', async () => {
    const user = await freshUser(db.dataSource);
    assert.equal(await users.setPasswordHash(user.id, '$argon2id$new'), true);
    assert.equal((await users.findById(user.id))?.passwordHash, '$argon2id$new');
    assert.equal(await users.setPasswordHash(user.id, null), true);
    assert.equal((await users.findById(user.id))?.passwordHash, null);

    const at = new Date('2026-01-02T03:04:05.678Z');
    assert.equal(await users.setDisabledAt(user.id, at), true);
    assert.deepEqual((await users.findById(user.id))?.disabledAt, at);
    assert.equal(await users.setDisabledAt(user.id, null), true);
    assert.equal((await users.findById(user.id))?.disabledAt, null);

    assert.equal(await users.setPasswordHash(randomUUID(), 'x'), false);
    assert.equal(await users.setDisabledAt(randomUUID(), at), false);
  });

  test('hasAny is true once a user exists, and createFirst then refuses', async () => {
    await freshUser(db.dataSource);
    assert.equal(await users.hasAny(), true);
    const email = freshEmail();
    assert.equal(await users.createFirst({ email, passwordHash: 'h', role: 'admin' }), 'users_exist');
    assert.equal(await users.findByEmail(email), undefined);
  });

  test('an OIDC identity is linked once: again to the same user changes nothing, to another is taken', async () => {
    const owner = await freshUser(db.dataSource);
    const other = await freshUser(db.dataSource);
    const identity = { issuer: 'https://id.example.com', subject: randomUUID() };
    assert.equal(await users.findByIdentity(identity), undefined);
    assert.equal(await users.linkIdentity(owner.id, identity), 'linked');
    assert.equal(await users.linkIdentity(owner.id, identity), 'linked');
    assert.equal(await users.linkIdentity(other.id, identity), 'taken');
    assert.deepEqual(await users.findByIdentity(identity), owner);
    assert.equal(await users.findByIdentity({ issuer: 'https://other.example.com', subject: identity.subject }), undefined, 'a subject is one person at one issuer only');
  });

  test('every user is listed oldest first', async () => {
    const made = [await freshUser(db.dataSource), await freshUser(db.dataSource), await freshUser(db.dataSource)];
    const listed = await users.list();
    const times = listed.map((u) => u.createdAt.getTime());
    assert.deepEqual(times, times.toSorted((x, y) => x - y));
    const mine = new Set(made.map((u) => u.id));
    assert.deepEqual(listed.filter((u) => mine.has(u.id)), made);
  });

  test("a user's webhook secret version starts at 1 and each rotation raises it by one, none lost when they race; an unknown id has none", async () => {
    const user = await freshUser(db.dataSource);
    assert.equal(await users.webhookSecretVersion(user.id), 1);
    assert.equal(await users.bumpWebhookSecretVersion(user.id), 2);
    const raced = await Promise.all(Array.from({ length: 5 }, () => users.bumpWebhookSecretVersion(user.id)));
    assert.deepEqual(raced.toSorted(), [3, 4, 5, 6, 7]);
    assert.equal(await users.webhookSecretVersion(user.id), 7);
    assert.equal((await users.findById(user.id))?.webhookSecretVersion, 7);
    assert.equal(await users.webhookSecretVersion((await freshUser(db.dataSource)).id), 1, "another user's version is their own");
    assert.deepEqual([await users.webhookSecretVersion(randomUUID()), await users.bumpWebhookSecretVersion(randomUUID())], [undefined, undefined]);
  });

  test('a user who owns jobs or images cannot be deleted', async () => {
    const owner = await freshUser(db.dataSource);
    await freshJob(db.dataSource, { ownerId: owner.id });
    await assert.rejects(db.dataSource.query(`DELETE FROM users WHERE id = $1`, [owner.id]), /import_jobs_owner_id_fkey/);
    const imageOwner = await freshUser(db.dataSource);
    await db.dataSource.query(`INSERT INTO images (id, owner_id, source, source_file_id, name, mime_type, size, storage_path) VALUES ($1, $2, 'url', 'u', 'u.png', 'image/png', 1, 'k')`, [
      randomUUID(),
      imageOwner.id,
    ]);
    await assert.rejects(db.dataSource.query(`DELETE FROM users WHERE id = $1`, [imageOwner.id]), /images_owner_id_fkey/);
  });

  test('deleting a user deletes their identities', async () => {
    const user = await freshUser(db.dataSource);
    const identity = { issuer: 'https://id.example.com', subject: randomUUID() };
    await users.linkIdentity(user.id, identity);
    await db.dataSource.query(`DELETE FROM users WHERE id = $1`, [user.id]);
    const [row] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM user_identities WHERE subject = $1`, [identity.subject])) as { n: number }[];
    assert.equal(row?.n, 0);
  });
});

describe('the first user in PostgreSQL', () => {
  let db: TestDatabase;
  let users: UsersRepository;

  before(async () => {
    db = await createTestDatabase();
    users = new UsersRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('on an empty table, of five createFirst at once exactly one creates a user; later ones refuse', async () => {
    assert.equal(await users.hasAny(), false);
    const emails = Array.from({ length: 5 }, freshEmail);
    const answers = await Promise.all(emails.map((email) => users.createFirst({ email, passwordHash: 'h', role: 'admin' })));
    const created = answers.filter((answer) => answer !== 'users_exist');
    assert.equal(created.length, 1, JSON.stringify(answers));
    assert.equal(created[0]?.role, 'admin');
    assert.equal(await users.hasAny(), true);
    assert.equal(await users.createFirst({ email: freshEmail(), passwordHash: 'h', role: 'admin' }), 'users_exist');
    const [row] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM users`)) as { n: number }[];
    assert.equal(row?.n, 1);
  });
});

describe('the first user claims what was imported before accounts, in PostgreSQL', () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });

  after(async () => {
    await db?.drop();
  });

  test('createFirst makes the first administrator the owner of every job and image nobody owned', async () => {
    const [job, image, loose] = [randomUUID(), randomUUID(), randomUUID()];
    await db.dataSource.query(`INSERT INTO import_jobs (id, source, status) VALUES ($1, 'url', 'completed')`, [job]);
    await db.dataSource.query(
      `INSERT INTO images (id, source, source_file_id, job_id, name, mime_type, size, storage_path) VALUES ($1, 'url', 'a', $3, 'a.png', 'image/png', 1, 'url/a'), ($2, 'url', 'b', NULL, 'b.png', 'image/png', 1, 'url/b')`,
      [image, loose, job],
    );
    const first = await new UsersRepository(db.dataSource).createFirst({ email: freshEmail(), passwordHash: 'h', role: 'admin' });
    assert.ok(first !== 'users_exist');
    const owners = async (table: string) => ((await db.dataSource.query(`SELECT DISTINCT owner_id AS "ownerId" FROM ${table}`)) as { ownerId: string | null }[]).map((r) => r.ownerId);
    assert.deepEqual([await owners('import_jobs'), await owners('images')], [[first.id], [first.id]]);
  });
});

describe('the first user while another writer adds one, in PostgreSQL', () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });

  after(async () => {
    await db?.drop();
  });

  test('createFirst waits for a user inserted in an open transaction and then refuses', async () => {
    const writer = db.dataSource.createQueryRunner();
    await writer.startTransaction();
    await writer.query(`INSERT INTO users (id, email, role) VALUES ($1, $2, 'user')`, [randomUUID(), freshEmail()]);
    const first = new UsersRepository(db.dataSource).createFirst({ email: freshEmail(), passwordHash: 'h', role: 'admin' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writer.commitTransaction();
    await writer.release();
    assert.equal(await first, 'users_exist');
  });
});
