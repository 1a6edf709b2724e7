import type { DataSource } from 'typeorm';

/** The rows of an `UPDATE … RETURNING`: plain `query` wraps them differently per statement kind. */
export async function returningRows<T>(db: DataSource, sql: string, parameters: unknown[]): Promise<T[]> {
  const runner = db.createQueryRunner();
  try {
    return ((await runner.query(sql, parameters, true)) as { records: T[] }).records;
  } finally {
    await runner.release();
  }
}
