import type { DataSource } from 'typeorm';
import { msFromNow } from '../leases/work-lease.js';
import { returningRows } from './returning-rows.js';

/** A ledger table that holds leased work: its name, the column naming the work within a job, and the status it is worked in. */
export interface LeasedTable {
  table: 'import_files' | 'import_folders';
  idColumn: 'source_file_id' | 'folder_id';
  workingStatus: 'pending' | 'listing';
}

/** Renews `holder`'s leases on these (job, id) pairs of `leased` in one statement; answers the pairs it still holds. */
export async function renewLeaseRows(
  db: DataSource,
  { table, idColumn, workingStatus }: LeasedTable,
  holder: string,
  ttlMs: number,
  pairs: readonly (readonly [jobId: string, id: string])[],
): Promise<[string, string][]> {
  if (pairs.length === 0) return [];
  const rows = await returningRows<{ jobId: string; id: string }>(
    db,
    `UPDATE ${table} AS w SET lease_expires_at = ${msFromNow('$2')}, updated_at = now()
     FROM unnest($3::uuid[], $4::text[]) AS h(job_id, id)
     WHERE w.job_id = h.job_id AND w.${idColumn} = h.id AND w.status = '${workingStatus}' AND w.lease_holder = $1
     RETURNING w.job_id AS "jobId", w.${idColumn} AS id`,
    [holder, ttlMs, pairs.map(([job]) => job), pairs.map(([, id]) => id)],
  );
  return rows.map((r) => [r.jobId, r.id]);
}
