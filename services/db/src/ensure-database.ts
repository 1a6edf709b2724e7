import pg from 'pg';

/** Runs `work` on a connection to the `postgres` database of the server in `databaseUrl`, with the target's name. */
async function withAdminConnection<T>(databaseUrl: string, work: (client: pg.Client, name: string) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to manage a database named "${name}"`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `databaseUrl` when it does not exist. */
export function ensureDatabase(databaseUrl: string): Promise<'created' | 'exists'> {
  return withAdminConnection(databaseUrl, async (client, name) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    await client.query(`CREATE DATABASE "${name}"`);
    return 'created';
  });
}

/** Drops the database named in `databaseUrl` if it exists (tests clean up the databases they create). */
export function dropDatabase(databaseUrl: string): Promise<void> {
  return withAdminConnection(databaseUrl, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
