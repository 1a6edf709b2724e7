import type { DataSource } from 'typeorm';
import type { ImportFileRow } from '../entities/import-file.entity.js';
import { storableText } from '../storable-text.js';
import { returningRows } from './returning-rows.js';

/** A file the transfer finished: the image it became and its bytes. */
export type FileDone = Pick<ImportFileRow, 'sourceFileId'> & { [K in 'imageId' | 'size']: NonNullable<ImportFileRow[K]> };

/**
 * The transfer's side of the ledger: each attempt at a file counted, and each file's outcome recorded. Only a file
 * still `pending` changes, so a redelivered batch counts and records nothing twice; reasons go through storableText.
 */
export class FileOutcomesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The files of a batch that still need work, each with its attempt count raised by one; files already
   * done, failed or skipped (a redelivered batch) are left out.
   */
  async claimFiles(jobId: string, sourceFileIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await returningRows<Pick<ImportFileRow, 'sourceFileId' | 'attempts'>>(
      this.db,
      `UPDATE import_files SET attempts = attempts + 1, updated_at = now()
       WHERE job_id = $1 AND source_file_id = ANY($2::text[]) AND status = 'pending'
       RETURNING source_file_id AS "sourceFileId", attempts`,
      [jobId, sourceFileIds],
    );
    return new Map(rows.map((r) => [r.sourceFileId, r.attempts]));
  }

  /** Marks files done, each with the image it became, in one statement; returns the ids that were still pending. */
  async markManyDone(jobId: string, files: readonly FileDone[]): Promise<Set<string>> {
    if (files.length === 0) return new Set();
    const rows = await returningRows<Pick<ImportFileRow, 'sourceFileId'>>(
      this.db,
      `UPDATE import_files AS f SET status = 'done', image_id = d.image_id, size = d.size, last_error = NULL, updated_at = now()
       FROM unnest($2::text[], $3::uuid[], $4::bigint[]) AS d(source_file_id, image_id, size)
       WHERE f.job_id = $1 AND f.source_file_id = d.source_file_id AND f.status = 'pending'
       RETURNING f.source_file_id AS "sourceFileId"`,
      [jobId, files.map((f) => f.sourceFileId), files.map((f) => f.imageId), files.map((f) => f.size)],
    );
    return new Set(rows.map((r) => r.sourceFileId));
  }

  /** Marks a file failed with its reason; false when it was no longer pending. */
  async markFailed(jobId: string, sourceFileId: string, reason: string): Promise<boolean> {
    const rows = await returningRows(
      this.db,
      `UPDATE import_files SET status = 'failed', last_error = $3, updated_at = now()
       WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending' RETURNING 1`,
      [jobId, sourceFileId, storableText(reason)],
    );
    return rows.length > 0;
  }

  /** Notes why the latest attempt at a still-pending file did not succeed; the file stays pending. */
  async noteAttemptFailed(jobId: string, sourceFileId: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE import_files SET last_error = $3, updated_at = now() WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending'`, [
      jobId,
      sourceFileId,
      storableText(reason),
    ]);
  }

  /** Fails the files of a batch that are still pending, keeping the last attempt's error after `reason`; returns how many. */
  async failStillPending(jobId: string, sourceFileIds: readonly string[], reason: string): Promise<number> {
    const rows = await returningRows(
      this.db,
      `UPDATE import_files SET status = 'failed', last_error = $3 || coalesce('; last error: ' || last_error, ''), updated_at = now()
       WHERE job_id = $1 AND source_file_id = ANY($2::text[]) AND status = 'pending' RETURNING 1`,
      [jobId, sourceFileIds, storableText(reason)],
    );
    return rows.length;
  }
}
