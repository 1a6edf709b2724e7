import type { DataSource } from 'typeorm';
import type { ImportFileRow } from '../entities/import-file.entity.js';

/** One file of a job's ledger and its outcome; `lastError` says why it failed or was skipped (for a pending file, the last attempt's error). */
export type LedgerFile = Pick<ImportFileRow, 'id' | 'sourceFileId' | 'name' | 'sourcePath' | 'status' | 'lastError' | 'attempts' | 'imageId'>;

/** A failed file and why; 'unknown error' where none was recorded. */
export type FailedFile = Pick<ImportFileRow, 'sourceFileId' | 'name' | 'sourcePath'> & { lastError: string };

/** What the jobs API reads of a job's ledger: its files with their outcomes, a page at a time, and its failed files. */
export class JobFilesRepository {
  constructor(private readonly db: DataSource) {}

  /** A job's files in the order found, after ledger row `after`, of one status or all: the same cost at any depth. */
  async filesPage(jobId: string, filter: { status?: ImportFileRow['status']; after?: ImportFileRow['id'] }, limit: number): Promise<LedgerFile[]> {
    const params: unknown[] = [jobId, filter.after ?? '0', limit];
    const status = filter.status ? `AND status = $${params.push(filter.status)}` : '';
    return (await this.db.query(
      `SELECT id::text AS id, source_file_id AS "sourceFileId", name, source_path AS "sourcePath", status, last_error AS "lastError", attempts, image_id AS "imageId"
       FROM import_files WHERE job_id = $1 AND id > $2::bigint ${status} ORDER BY id LIMIT $3`,
      params,
    )) as LedgerFile[];
  }

  /** A job's first `limit` failed files in the order found, each with its reason. */
  async failedFiles(jobId: string, limit: number): Promise<FailedFile[]> {
    return (await this.db.query(
      `SELECT source_file_id AS "sourceFileId", name, source_path AS "sourcePath", coalesce(last_error, 'unknown error') AS "lastError"
       FROM import_files WHERE job_id = $1 AND status = 'failed' ORDER BY id LIMIT $2`,
      [jobId, limit],
    )) as FailedFile[];
  }
}
