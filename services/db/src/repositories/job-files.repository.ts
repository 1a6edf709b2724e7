import type { DataSource } from 'typeorm';
import type { ImportFileRow } from '../entities/import-file.entity.js';
import { ownerCondition, type OwnerScope } from './owner-scope.js';

/** One file of a job's ledger and its outcome; `lastError` says why it failed or was skipped (for a pending file, the last attempt's error). */
export type LedgerFile = Pick<ImportFileRow, 'id' | 'sourceFileId' | 'name' | 'sourcePath' | 'status' | 'lastError' | 'attempts' | 'imageId'>;

/** A failed file and why; 'unknown error' where none was recorded. */
export type FailedFile = Pick<ImportFileRow, 'sourceFileId' | 'name' | 'sourcePath'> & { lastError: string };

/**
 * What the jobs API reads of a job's ledger: its files with their outcomes, a page at a time, and its failed files.
 * The job's owner is checked in the same query, so an unknown job and another owner's job both give no rows.
 */
export class JobFilesRepository {
  constructor(private readonly db: DataSource) {}

  /** A job's files in the order found, after ledger row `after`, of one status or all: the same cost at any depth. */
  async filesPage(
    jobId: string,
    scope: OwnerScope,
    filter: { status?: ImportFileRow['status']; after?: ImportFileRow['id'] },
    limit: number,
  ): Promise<LedgerFile[]> {
    const params: unknown[] = [jobId, filter.after ?? '0', limit];
    const owner = ownerCondition(scope, 'j.owner_id', params);
    const status = filter.status ? `AND f.status = $${params.push(filter.status)}` : '';
    return (await this.db.query(
      `SELECT f.id::text AS id, f.source_file_id AS "sourceFileId", f.name, f.source_path AS "sourcePath", f.status, f.last_error AS "lastError", f.attempts,
         f.image_id AS "imageId"
       FROM import_files f JOIN import_jobs j ON j.id = f.job_id
       WHERE f.job_id = $1 AND ${owner} AND f.id > $2::bigint ${status} ORDER BY f.id LIMIT $3`,
      params,
    )) as LedgerFile[];
  }

  /** A job's first `limit` failed files in the order found, each with its reason. */
  async failedFiles(jobId: string, scope: OwnerScope, limit: number): Promise<FailedFile[]> {
    const params: unknown[] = [jobId, limit];
    return (await this.db.query(
      `SELECT f.source_file_id AS "sourceFileId", f.name, f.source_path AS "sourcePath", coalesce(f.last_error, 'unknown error') AS "lastError"
       FROM import_files f JOIN import_jobs j ON j.id = f.job_id
       WHERE f.job_id = $1 AND ${ownerCondition(scope, 'j.owner_id', params)} AND f.status = 'failed' ORDER BY f.id LIMIT $2`,
      params,
    )) as FailedFile[];
  }
}
