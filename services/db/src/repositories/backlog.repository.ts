import { ACCEPTS_WORK_STATUSES } from '@importer/contracts';
import type { DataSource } from 'typeorm';

/** Work still waiting in the ledger of running jobs. */
export interface Backlog {
  pendingFiles: number;
  pendingFolders: number;
  /** Seconds since the oldest pending file was listed (0 when none waits). */
  oldestPendingSeconds: number;
}

/** The queue lag the metrics report: what every job that still takes work waits for in the ledger. */
export class BacklogRepository {
  constructor(private readonly db: DataSource) {}

  async measure(): Promise<Backlog> {
    const [files] = (await this.db.query(
      `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(f.created_at)), 0)::float8 AS oldest
       FROM import_files f JOIN import_jobs j ON j.id = f.job_id
       WHERE f.status = 'pending' AND j.status = ANY($1::text[])`,
      [[...ACCEPTS_WORK_STATUSES]],
    )) as { pending: number; oldest: number }[];
    const [folders] = (await this.db.query(
      `SELECT count(*)::int AS pending FROM import_folders d JOIN import_jobs j ON j.id = d.job_id
       WHERE d.status = 'listing' AND j.status = ANY($1::text[])`,
      [[...ACCEPTS_WORK_STATUSES]],
    )) as { pending: number }[];
    return { pendingFiles: files?.pending ?? 0, pendingFolders: folders?.pending ?? 0, oldestPendingSeconds: files?.oldest ?? 0 };
  }
}
