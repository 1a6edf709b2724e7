import type { DataSource } from 'typeorm';

/** How many rows an `UPDATE` or `DELETE` changed, without carrying the rows back. */
export async function affectedRows(db: DataSource, sql: string, parameters: unknown[]): Promise<number> {
  const runner = db.createQueryRunner();
  try {
    return (await runner.query(sql, parameters, true)).affected ?? 0;
  } finally {
    await runner.release();
  }
}
