import { ACCEPTS_WORK_STATUSES, type FolderRef, type SourceFile, type SourceKind } from '@importer/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { LISTED_FILE_COLUMNS, type ListedFileRow, toSourceFile } from './source-file.mapper.js';

/** Files of one job whose leases ran out (a dead holder, or a retry now due), to send to transfer again. */
export interface ExpiredFiles {
  jobId: string;
  source: SourceKind;
  files: SourceFile[];
}

/** A folder's page whose lease ran out, with what its job asked for, to send to the lister again. */
export interface ExpiredFolder {
  jobId: string;
  source: SourceKind;
  recursive: boolean;
  folder: FolderRef;
  cursor: string | null;
}

/** Why a file or page whose holder stopped renewing is pending again, kept as its last error. */
const HOLDER_GONE = 'lease_expired: the replica working on it stopped renewing its lease (it crashed or froze)';

/**
 * The reaper's side of the ledger: work of running jobs whose lease ran out, taken back in one statement per kind.
 * Each runs inside `send`'s transaction, so what is taken is sent, or stays expired for the next round; replicas
 * of the reaper skip each other's rows (SKIP LOCKED), so each expired lease is sent by one of them.
 */
export class ExpiredLeasesRepository {
  constructor(private readonly db: DataSource) {}

  /** Takes up to `limit` expired file leases, grouped by job, and hands them to `send` before committing. */
  async reapFiles(limit: number, send: (expired: ExpiredFiles[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = (await tx.query(
        `WITH due AS (
           SELECT f.id, j.source FROM import_files f JOIN import_jobs j ON j.id = f.job_id
           WHERE f.status = 'pending' AND f.lease_expires_at < now() AND j.status = ANY($2::text[])
           ORDER BY f.lease_expires_at LIMIT $1 FOR UPDATE OF f SKIP LOCKED
         )
         UPDATE import_files AS f SET lease_holder = NULL, lease_expires_at = NULL, updated_at = now(),
           last_error = CASE WHEN f.lease_holder IS NULL THEN f.last_error ELSE $3 END
         FROM due WHERE f.id = due.id
         RETURNING f.job_id AS "jobId", due.source, ${LISTED_FILE_COLUMNS}`,
        [limit, [...ACCEPTS_WORK_STATUSES], HOLDER_GONE],
      )) as [(ListedFileRow & { jobId: string; source: SourceKind })[], number];
      const byJob = new Map<string, ExpiredFiles>();
      for (const row of rows[0]) {
        const group = byJob.get(row.jobId) ?? { jobId: row.jobId, source: row.source, files: [] };
        group.files.push(toSourceFile(row));
        byJob.set(row.jobId, group);
      }
      if (byJob.size) await send([...byJob.values()]);
      return rows[0].length;
    });
  }

  /** Takes up to `limit` expired folder leases and hands them to `send` before committing. */
  async reapFolders(limit: number, send: (expired: ExpiredFolder[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx: EntityManager) => {
      const [rows] = (await tx.query(
        `WITH due AS (
           SELECT d.job_id, d.folder_id, j.source, j.recursive FROM import_folders d JOIN import_jobs j ON j.id = d.job_id
           WHERE d.status = 'listing' AND d.lease_expires_at < now() AND j.status = ANY($2::text[])
           ORDER BY d.lease_expires_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE import_folders AS d SET lease_holder = NULL, lease_expires_at = NULL, updated_at = now(),
           last_error = CASE WHEN d.lease_holder IS NULL THEN d.last_error ELSE $3 END
         FROM due WHERE d.job_id = due.job_id AND d.folder_id = due.folder_id
         RETURNING d.job_id AS "jobId", due.source, due.recursive, d.folder_id AS "folderId", d.resource_key AS "resourceKey",
           d.shared_link AS "sharedLink", d.path, d.cursor`,
        [limit, [...ACCEPTS_WORK_STATUSES], HOLDER_GONE],
      )) as [{ jobId: string; source: SourceKind; recursive: boolean; folderId: string; resourceKey: string | null; sharedLink: string | null; path: string; cursor: string | null }[], number];
      const expired = rows.map((r): ExpiredFolder => ({
        jobId: r.jobId,
        source: r.source,
        recursive: r.recursive,
        folder: { id: r.folderId, path: r.path, ...(r.resourceKey ? { resourceKey: r.resourceKey } : {}), ...(r.sharedLink ? { sharedLink: r.sharedLink } : {}) },
        cursor: r.cursor,
      }));
      if (expired.length) await send(expired);
      return expired.length;
    });
  }
}

