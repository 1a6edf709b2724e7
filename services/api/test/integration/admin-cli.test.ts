import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { UsersRepository } from '@importer/db';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/admin-cli.ts', import.meta.url));

/** `npm run admin -- …` as an operator runs it, against a database of the test's own. */
const admin = (db: TestDatabase, ...args: string[]) =>
  run(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: db.url }, timeout: 60_000 });

describe('npm run admin', () => {
  let db: TestDatabase;
  const email = `operator-${randomUUID()}@example.com`;

  before(async () => {
    db = await createTestDatabase('importer_admin_cli');
    const user = await new UsersRepository(db.dataSource).create({ email, passwordHash: null, role: 'admin' });
    assert.notEqual(user, 'email_taken');
  });

  after(async () => {
    await db?.drop();
  });

  test('create-api-key prints a key of the user, stored only as its SHA-256', async () => {
    const { stdout } = await admin(db, 'create-api-key', '--email', email.toUpperCase(), '--name', 'ci');
    const key = stdout.trim();
    assert.match(key, /^imp_[A-Za-z0-9_-]{43}$/);
    const rows = (await db.dataSource.query(
      `SELECT k.name, k.key_hash, u.email FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1`,
      [createHash('sha256').update(key).digest('hex')],
    )) as { name: string; email: string }[];
    assert.deepEqual(rows.map((r) => [r.name, r.email]), [['ci', email]]);
    const stored = JSON.stringify(await db.dataSource.query(`SELECT * FROM api_keys`));
    assert.ok(!stored.includes(key), 'the key itself is in no row');
  });

  test('an unknown email or command exits non-zero with a message, and makes nothing', async () => {
    await assert.rejects(admin(db, 'create-api-key', '--email', 'nobody@example.com'), (error: { code: number; stderr: string }) => error.code === 1 && /There is no user nobody@example.com/.test(error.stderr));
    await assert.rejects(admin(db, 'make-coffee'), (error: { code: number; stderr: string }) => error.code === 2 && /Unknown command make-coffee/.test(error.stderr));
    const [row] = (await db.dataSource.query(`SELECT count(*)::int AS count FROM api_keys`)) as { count: number }[];
    assert.equal(row?.count, 1, 'only the first test made a key');
  });

  test('list-users prints each user with role and state', async () => {
    const { stdout } = await admin(db, 'list-users');
    assert.match(stdout, new RegExp(`\\tadmin\\t${email}\\tactive`));
  });
});
