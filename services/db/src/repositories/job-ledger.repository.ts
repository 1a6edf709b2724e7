import type { FolderRef, LedgerCounts, SourceFile } from '@importer/contracts';
import type { DataSource } from 'typeorm';
import type { ImportFolderRow } from '../entities/import-folder.entity.js';
import { storableText } from '../storable-text.js';
import { returningRows } from './returning-rows.js';
import { LISTED_FILE_COLUMNS, type ListedFileRow, toSourceFile } from './source-file.mapper.js';

/** A folder whose listing stalled, with the page to list next. */
export interface StalledFolder {
  folder: FolderRef;
  cursor: string | null;
}

/**
 * The ImportJob actor's side of the ledger: the root folder a start opens, the exact counts a reconcile reads, the
 * stalled work the watchdog claims to send again, and the failed files a retry puts back.
 */
export class JobLedgerRepository {
  constructor(private readonly db: DataSource) {}

  /** Opens the job's root folder for listing (its `import_jobs` row first: JobSummariesRepository.open); a second call does nothing. */
  async openRoot(jobId: string, root: FolderRef): Promise<void> {
    await this.db.query(
      `INSERT INTO import_folders (job_id, folder_id, resource_key, shared_link, path, cursor, status) VALUES ($1, $2, $3, $4, $5, NULL, 'listing')
       ON CONFLICT (job_id, folder_id) DO NOTHING`,
      [jobId, root.id, root.resourceKey ?? null, root.sharedLink ?? null, storableText(root.path)],
    );
  }

  /** Exact counts for a job, straight from the ledger. A failed folder stays pending: its job ends by failing, never by completing without it. */
  async counts(jobId: string): Promise<LedgerCounts> {
    const rows = (await this.db.query(
      `SELECT status, count(*)::int AS files, coalesce(sum(size), 0)::float8 AS bytes FROM import_files WHERE job_id = $1 GROUP BY status`,
      [jobId],
    )) as { status: string; files: number; bytes: number }[];
    const [folders] = (await this.db.query(`SELECT count(*)::int AS pending FROM import_folders WHERE job_id = $1 AND status <> 'done'`, [jobId])) as {
      pending: number;
    }[];
    const of = (status: string) => rows.find((r) => r.status === status);
    return {
      totalFiles: rows.reduce((sum, r) => sum + r.files, 0),
      processedFiles: of('done')?.files ?? 0,
      failedFiles: of('failed')?.files ?? 0,
      skippedFiles: of('skipped')?.files ?? 0,
      bytes: of('done')?.bytes ?? 0,
      foldersPending: folders?.pending ?? 0,
    };
  }

  /**
   * Folders still listing, or failed, untouched since `olderThan` and under no lease (leased pages are the reaper's),
   * stamped as touched now. Re-sending a folder is
   * bounded: the lister counts each attempt (beginListing) and fails the folder past the last; a failed folder is
   * not listed again, its request only repeats the failure to the job, in case that message was lost.
   */
  async claimStalledFolders(jobId: string, olderThan: Date): Promise<StalledFolder[]> {
    const rows = await returningRows<Pick<ImportFolderRow, 'folderId' | 'resourceKey' | 'sharedLink' | 'path' | 'cursor'>>(
      this.db,
      `UPDATE import_folders SET updated_at = now() WHERE job_id = $1 AND status IN ('listing', 'failed') AND lease_expires_at IS NULL AND updated_at < $2
       RETURNING folder_id AS "folderId", resource_key AS "resourceKey", shared_link AS "sharedLink", path, cursor`,
      [jobId, olderThan],
    );
    return rows.map((r) => ({
      folder: {
        id: r.folderId,
        path: r.path,
        ...(r.resourceKey ? { resourceKey: r.resourceKey } : {}),
        ...(r.sharedLink ? { sharedLink: r.sharedLink } : {}),
      },
      cursor: r.cursor,
    }));
  }

  /**
   * Pending files untouched since `olderThan` and under no lease (their message was lost: leased work is the reaper's),
   * the first `limit` of them in the order found, stamped as touched now so the next round does not send them at once.
   */
  async claimStalePending(jobId: string, olderThan: Date, limit: number): Promise<SourceFile[]> {
    const rows = await returningRows<ListedFileRow>(
      this.db,
      `UPDATE import_files SET updated_at = now()
       WHERE id IN (SELECT id FROM import_files WHERE job_id = $1 AND status = 'pending' AND lease_expires_at IS NULL AND updated_at < $2 ORDER BY id LIMIT $3)
       RETURNING ${LISTED_FILE_COLUMNS}`,
      [jobId, olderThan, limit],
    );
    return rows.map(toSourceFile);
  }

  /** Puts a job's failed files back to pending, with their attempts at 0, and hands them back for a retry. */
  async resetFailed(jobId: string): Promise<SourceFile[]> {
    const rows = await returningRows<ListedFileRow>(
      this.db,
      `UPDATE import_files SET status = 'pending', attempts = 0, last_error = NULL, lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE job_id = $1 AND status = 'failed'
       RETURNING ${LISTED_FILE_COLUMNS}`,
      [jobId],
    );
    return rows.map(toSourceFile);
  }
}
