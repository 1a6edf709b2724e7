import { ACCEPTS_WORK_STATUSES, type FolderRef, type LedgerCounts, type SkippedEntry, type SourceFile, type SourceKind } from '@importer/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { storableOrNull, storableText } from '../storable-text.js';

export interface NewJob {
  id: string;
  source: SourceKind;
  folderUrl: string | null;
  webhookUrl: string | null;
}

export interface ListedPage {
  files: readonly SourceFile[];
  folders: readonly FolderRef[];
  skipped: readonly SkippedEntry[];
  nextCursor: string | null;
}

/** What one listed page added to the ledger: only rows that were not there before. */
export interface RecordedPage {
  newFiles: SourceFile[];
  newFolders: FolderRef[];
  newSkipped: number;
  folderDone: boolean;
}

/** A file that failed, and why. */
export interface FailedFile {
  sourceFileId: string;
  name: string;
  path: string;
  reason: string;
}

/** Work still waiting in the ledger of running jobs. */
export interface Backlog {
  pendingFiles: number;
  pendingFolders: number;
  /** Seconds since the oldest pending file was listed (0 when none waits). */
  oldestPendingSeconds: number;
}

/** One file of a job's ledger and its outcome. */
export interface LedgerFile {
  /** The ledger row's id: where the next page starts. */
  position: number;
  sourceFileId: string;
  name: string;
  path: string;
  status: string;
  /** Why it failed or was skipped; for a pending file, the last attempt's error. */
  reason: string | null;
  attempts: number;
  imageId: string | null;
}

/**
 * An attempt at a folder's page, counted before it starts: go on with `listing`; a `failed` folder is not listed
 * again (its job fails with `reason`); `stale` when the folder has moved past that page.
 */
export type ListingAttempt = { state: 'listing'; attempt: number } | { state: 'failed'; reason: string } | { state: 'stale' };

/** Attempts at one page of a folder before it fails: one delivery is tried 5 times (resiliency deliveryRetry), so four watchdog rounds. */
export const MAX_LISTING_ATTEMPTS = 20;

/** A folder whose listing stalled, with the page to list next. */
export interface StalledFolder {
  folder: FolderRef;
  cursor: string | null;
}

interface FileRow {
  source_file_id: string;
  name: string;
  source_path: string;
  mime_type: string | null;
  size: string | null;
  source_meta: { md5?: string | null; contentHash?: string | null; resourceKey?: string; width?: number | null; height?: number | null };
}

/** The columns of SourceFile that live in `source_meta`. */
function sourceMeta(file: SourceFile): Record<string, unknown> {
  const { md5, contentHash, resourceKey, width, height } = file;
  return { md5, contentHash, resourceKey, width, height };
}

/** A ledger row back into the SourceFile that was listed. */
function toSourceFile(row: FileRow): SourceFile {
  const meta = row.source_meta;
  return {
    sourceFileId: row.source_file_id,
    name: row.name,
    path: row.source_path,
    mimeType: row.mime_type ?? 'application/octet-stream',
    size: row.size === null ? null : Number(row.size),
    md5: meta.md5 ?? null,
    ...(meta.contentHash ? { contentHash: meta.contentHash } : {}),
    ...(meta.resourceKey ? { resourceKey: meta.resourceKey } : {}),
    ...(meta.width ? { width: meta.width } : {}),
    ...(meta.height ? { height: meta.height } : {}),
  };
}

/**
 * The per-job ledger in PostgreSQL: folders being listed and every file found with its outcome. Every write
 * is idempotent (unique keys, ON CONFLICT DO NOTHING), so a redelivered message changes nothing twice. Every name,
 * path and reason goes through storableText on its way in.
 */
export class ImportLedger {
  private readonly maxListingAttempts: number;

  constructor(
    private readonly db: DataSource,
    options: { maxListingAttempts?: number } = {},
  ) {
    this.maxListingAttempts = options.maxListingAttempts ?? MAX_LISTING_ATTEMPTS;
  }

  /** Creates the job's summary row and its root folder; a second call for the same job does nothing. */
  async openJob(job: NewJob, root: FolderRef): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO import_jobs (id, source, folder_url, webhook_url, status) VALUES ($1, $2, $3, $4, 'queued') ON CONFLICT (id) DO NOTHING`,
        [job.id, job.source, storableOrNull(job.folderUrl), storableOrNull(job.webhookUrl)],
      );
      await tx.query(
        `INSERT INTO import_folders (job_id, folder_id, resource_key, path, cursor, status) VALUES ($1, $2, $3, $4, NULL, 'listing')
         ON CONFLICT (job_id, folder_id) DO NOTHING`,
        [job.id, root.id, root.resourceKey ?? null, storableText(root.path)],
      );
    });
  }

  /**
   * Records one listed page of `folder`, listed from `cursor`, in one transaction. Answers 'stale' when the
   * folder has moved past that page (a redelivery), so nothing is recorded or published twice.
   */
  async recordPage(jobId: string, folder: FolderRef, cursor: string | null, page: ListedPage): Promise<RecordedPage | 'stale'> {
    return this.db.transaction(async (tx) => {
      const [current] = (await tx.query(
        `SELECT cursor, status FROM import_folders WHERE job_id = $1 AND folder_id = $2 FOR UPDATE`,
        [jobId, folder.id],
      )) as { cursor: string | null; status: string }[];
      if (!current || current.status !== 'listing' || current.cursor !== cursor) return 'stale';

      const newFiles = await this.insertFiles(tx, jobId, page.files);
      const newSkipped = await this.insertSkipped(tx, jobId, page.skipped);
      const newFolders = await this.insertFolders(tx, jobId, page.folders);
      await tx.query(
        `UPDATE import_folders SET cursor = $3, status = $4, attempts = 0, last_error = NULL, updated_at = now() WHERE job_id = $1 AND folder_id = $2`,
        [jobId, folder.id, page.nextCursor, page.nextCursor === null ? 'done' : 'listing'],
      );
      return { newFiles, newFolders, newSkipped, folderDone: page.nextCursor === null };
    });
  }

  /**
   * Counts an attempt at the page of `folderId` at `cursor` before it is listed, so an attempt that crashes counts too.
   * The attempt after the last allowed one fails the folder instead, with the last attempt's error.
   */
  async beginListing(jobId: string, folderId: string, cursor: string | null): Promise<ListingAttempt> {
    const [row] = await this.returning<{ attempts: number; status: string; last_error: string | null }>(
      `UPDATE import_folders SET attempts = attempts + 1, updated_at = now(),
         status = CASE WHEN attempts >= $4::int THEN 'failed' ELSE status END,
         last_error = CASE WHEN attempts >= $4::int THEN $5::text || coalesce(last_error, 'none of them reported an error (the lister stopped while listing)') ELSE last_error END
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text
       RETURNING attempts, status, last_error`,
      [jobId, folderId, cursor, this.maxListingAttempts, `${this.maxListingAttempts} attempts at this page did not finish; the last one: `],
    );
    if (row) return row.status === 'failed' ? { state: 'failed', reason: row.last_error ?? 'listing failed' } : { state: 'listing', attempt: row.attempts };
    const [folder] = (await this.db.query(`SELECT status, last_error FROM import_folders WHERE job_id = $1 AND folder_id = $2`, [jobId, folderId])) as {
      status: string;
      last_error: string | null;
    }[];
    return folder?.status === 'failed' ? { state: 'failed', reason: folder.last_error ?? 'listing failed' } : { state: 'stale' };
  }

  /**
   * Notes why the current attempt at a folder's page failed; the last allowed attempt fails the folder. Returns the
   * folder's reason when it is now failed, else undefined (the page is tried again).
   */
  async noteListingFailed(jobId: string, folderId: string, cursor: string | null, reason: string): Promise<string | undefined> {
    const [row] = await this.returning<{ status: string; last_error: string }>(
      `UPDATE import_folders SET updated_at = now(),
         status = CASE WHEN attempts >= $4::int THEN 'failed' ELSE status END,
         last_error = CASE WHEN attempts >= $4::int THEN $5::text || $6::text ELSE $6::text END
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text
       RETURNING status, last_error`,
      [jobId, folderId, cursor, this.maxListingAttempts, `${this.maxListingAttempts} attempts at this page failed; the last one: `, storableText(reason)],
    );
    return row?.status === 'failed' ? row.last_error : undefined;
  }

  /** Fails a folder whose page can never be listed or stored; false when it had moved past that page or already ended. */
  async failFolder(jobId: string, folderId: string, cursor: string | null, reason: string): Promise<boolean> {
    const rows = await this.returning(
      `UPDATE import_folders SET status = 'failed', last_error = $4, updated_at = now()
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text RETURNING 1`,
      [jobId, folderId, cursor, storableText(reason)],
    );
    return rows.length > 0;
  }

  /** Exact counts for a job, straight from the ledger. A failed folder stays pending: its job ends by failing, never by completing without it. */
  async counts(jobId: string): Promise<LedgerCounts> {
    const rows = (await this.db.query(
      `SELECT status, count(*)::int AS files, coalesce(sum(size), 0)::bigint AS bytes FROM import_files WHERE job_id = $1 GROUP BY status`,
      [jobId],
    )) as { status: string; files: number; bytes: string }[];
    const [folders] = (await this.db.query(
      `SELECT count(*)::int AS pending FROM import_folders WHERE job_id = $1 AND status <> 'done'`,
      [jobId],
    )) as { pending: number }[];
    const of = (status: string) => rows.find((r) => r.status === status);
    return {
      totalFiles: rows.reduce((sum, r) => sum + r.files, 0),
      processedFiles: of('done')?.files ?? 0,
      failedFiles: of('failed')?.files ?? 0,
      skippedFiles: of('skipped')?.files ?? 0,
      bytes: Number(of('done')?.bytes ?? 0),
      foldersPending: folders?.pending ?? 0,
    };
  }

  /** The work running jobs still wait for, over every job: the queue lag that the metrics report. */
  async backlog(): Promise<Backlog> {
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

  /**
   * Pending files untouched since `olderThan`, stamped as touched now so the next watchdog round does not
   * send them again at once.
   */
  async claimStalePending(jobId: string, olderThan: Date, limit: number): Promise<SourceFile[]> {
    const rows = await this.returning<FileRow>(
      `UPDATE import_files SET updated_at = now()
       WHERE id IN (SELECT id FROM import_files WHERE job_id = $1 AND status = 'pending' AND updated_at < $2 ORDER BY id LIMIT $3)
       RETURNING source_file_id, name, source_path, mime_type, size, source_meta`,
      [jobId, olderThan, limit],
    );
    return rows.map(toSourceFile);
  }

  /**
   * Folders still listing, or failed, untouched since `olderThan`, stamped as touched now. Re-sending a folder is
   * bounded: the lister counts each attempt (beginListing) and fails the folder past the last; a failed folder is
   * not listed again, its request only repeats the failure to the job, in case that message was lost.
   */
  async claimStalledFolders(jobId: string, olderThan: Date): Promise<StalledFolder[]> {
    const rows = await this.returning<{ folder_id: string; resource_key: string | null; path: string; cursor: string | null }>(
      `UPDATE import_folders SET updated_at = now() WHERE job_id = $1 AND status IN ('listing', 'failed') AND updated_at < $2
       RETURNING folder_id, resource_key, path, cursor`,
      [jobId, olderThan],
    );
    return rows.map((r) => ({
      folder: { id: r.folder_id, path: r.path, ...(r.resource_key ? { resourceKey: r.resource_key } : {}) },
      cursor: r.cursor,
    }));
  }

  /**
   * The files of a batch that still need work, each with its attempt count raised by one; files already
   * done, failed or skipped (a redelivered batch) are left out.
   */
  async claimFiles(jobId: string, sourceFileIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.returning<{ source_file_id: string; attempts: number }>(
      `UPDATE import_files SET attempts = attempts + 1, updated_at = now()
       WHERE job_id = $1 AND source_file_id = ANY($2::text[]) AND status = 'pending'
       RETURNING source_file_id, attempts`,
      [jobId, sourceFileIds],
    );
    return new Map(rows.map((r) => [r.source_file_id, r.attempts]));
  }

  /** Marks files done, each with the image it became, in one statement; returns the ids that were still pending. */
  async markManyDone(jobId: string, files: readonly { sourceFileId: string; imageId: string; size: number }[]): Promise<Set<string>> {
    if (files.length === 0) return new Set();
    const rows = await this.returning<{ source_file_id: string }>(
      `UPDATE import_files AS f SET status = 'done', image_id = d.image_id, size = d.size, last_error = NULL, updated_at = now()
       FROM unnest($2::text[], $3::uuid[], $4::bigint[]) AS d(source_file_id, image_id, size)
       WHERE f.job_id = $1 AND f.source_file_id = d.source_file_id AND f.status = 'pending'
       RETURNING f.source_file_id`,
      [jobId, files.map((f) => f.sourceFileId), files.map((f) => f.imageId), files.map((f) => f.size)],
    );
    return new Set(rows.map((r) => r.source_file_id));
  }

  /** Marks a file done, with the image it became; false when it was no longer pending (someone else finished it). */
  async markDone(jobId: string, sourceFileId: string, imageId: string, size: number): Promise<boolean> {
    const rows = await this.returning(
      `UPDATE import_files SET status = 'done', image_id = $3, size = $4, last_error = NULL, updated_at = now()
       WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending' RETURNING 1`,
      [jobId, sourceFileId, imageId, size],
    );
    return rows.length > 0;
  }

  /** Marks a file failed with its reason; false when it was no longer pending. */
  async markFailed(jobId: string, sourceFileId: string, reason: string): Promise<boolean> {
    const rows = await this.returning(
      `UPDATE import_files SET status = 'failed', last_error = $3, updated_at = now()
       WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending' RETURNING 1`,
      [jobId, sourceFileId, storableText(reason)],
    );
    return rows.length > 0;
  }

  /** Fails the files of a batch that are still pending, keeping the last attempt's error after `reason`; returns how many. */
  async failStillPending(jobId: string, sourceFileIds: readonly string[], reason: string): Promise<number> {
    const rows = await this.returning(
      `UPDATE import_files SET status = 'failed', last_error = $3 || coalesce('; last error: ' || last_error, ''), updated_at = now()
       WHERE job_id = $1 AND source_file_id = ANY($2::text[]) AND status = 'pending' RETURNING 1`,
      [jobId, sourceFileIds, storableText(reason)],
    );
    return rows.length;
  }

  /** Notes why the latest attempt at a still-pending file did not succeed. */
  async noteAttemptFailed(jobId: string, sourceFileId: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE import_files SET last_error = $3, updated_at = now() WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending'`, [
      jobId,
      sourceFileId,
      storableText(reason),
    ]);
  }

  /** A job's failed files with their reasons, in the order they were found. */
  /** A job's files in the order found, after ledger row `after`, of one status or all: every file's outcome and reason. */
  async filesPage(jobId: string, filter: { status?: string; after?: number }, limit: number): Promise<LedgerFile[]> {
    const params: unknown[] = [jobId, filter.after ?? 0, limit];
    const status = filter.status ? `AND status = $${params.push(filter.status)}` : '';
    return (await this.db.query(
      `SELECT id::float8 AS position, source_file_id AS "sourceFileId", name, source_path AS path, status, last_error AS reason, attempts, image_id AS "imageId"
       FROM import_files WHERE job_id = $1 AND id > $2 ${status} ORDER BY id LIMIT $3`,
      params,
    )) as LedgerFile[];
  }

  async failedFiles(jobId: string, limit: number): Promise<FailedFile[]> {
    return (await this.db.query(
      `SELECT source_file_id AS "sourceFileId", name, source_path AS path, coalesce(last_error, 'unknown error') AS reason
       FROM import_files WHERE job_id = $1 AND status = 'failed' ORDER BY id LIMIT $2`,
      [jobId, limit],
    )) as FailedFile[];
  }

  /** Puts a job's failed files back to pending and hands them back, for a retry. */
  async resetFailed(jobId: string): Promise<SourceFile[]> {
    const rows = await this.returning<FileRow>(
      `UPDATE import_files SET status = 'pending', attempts = 0, last_error = NULL, updated_at = now()
       WHERE job_id = $1 AND status = 'failed'
       RETURNING source_file_id, name, source_path, mime_type, size, source_meta`,
      [jobId],
    );
    return rows.map(toSourceFile);
  }

  /** The rows of an UPDATE ... RETURNING (plain `query` wraps them differently per statement kind). */
  private async returning<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const runner = this.db.createQueryRunner();
    try {
      return ((await runner.query(sql, parameters, true)) as { records: T[] }).records;
    } finally {
      await runner.release();
    }
  }

  private async insertFiles(tx: EntityManager, jobId: string, files: readonly SourceFile[]): Promise<SourceFile[]> {
    if (files.length === 0) return [];
    const inserted = (await tx.query(
      `INSERT INTO import_files (job_id, source_file_id, name, source_path, mime_type, size, status, source_meta)
       SELECT $1, f.id, f.name, f.path, f.mime, f.size, 'pending', f.meta
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::jsonb[]) AS f(id, name, path, mime, size, meta)
       ON CONFLICT (job_id, source_file_id) DO NOTHING
       RETURNING source_file_id`,
      [
        jobId,
        files.map((f) => f.sourceFileId),
        files.map((f) => storableText(f.name)),
        files.map((f) => storableText(f.path)),
        files.map((f) => storableText(f.mimeType)),
        files.map((f) => f.size),
        files.map((f) => JSON.stringify(sourceMeta(f))),
      ],
    )) as { source_file_id: string }[];
    const fresh = new Set(inserted.map((r) => r.source_file_id));
    // One page can name the same content twice (a file and a shortcut to it); it is imported once.
    const byId = new Map(files.filter((f) => fresh.has(f.sourceFileId)).map((f) => [f.sourceFileId, f]));
    return [...byId.values()];
  }

  private async insertSkipped(tx: EntityManager, jobId: string, skipped: readonly SkippedEntry[]): Promise<number> {
    if (skipped.length === 0) return 0;
    const inserted = (await tx.query(
      `INSERT INTO import_files (job_id, source_file_id, name, source_path, mime_type, status, last_error)
       SELECT $1, s.id, s.name, s.path, s.mime, 'skipped', s.reason
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS s(id, name, path, mime, reason)
       ON CONFLICT (job_id, source_file_id) DO NOTHING
       RETURNING 1`,
      [
        jobId,
        skipped.map((s) => s.sourceFileId),
        skipped.map((s) => storableText(s.name)),
        skipped.map((s) => storableText(s.path)),
        skipped.map((s) => storableOrNull(s.mimeType)),
        skipped.map((s) => storableText(s.reason)),
      ],
    )) as unknown[];
    return inserted.length;
  }

  private async insertFolders(tx: EntityManager, jobId: string, folders: readonly FolderRef[]): Promise<FolderRef[]> {
    if (folders.length === 0) return [];
    const inserted = (await tx.query(
      `INSERT INTO import_folders (job_id, folder_id, resource_key, path, cursor, status)
       SELECT $1, f.id, f.key, f.path, NULL, 'listing'
       FROM unnest($2::text[], $3::text[], $4::text[]) AS f(id, key, path)
       ON CONFLICT (job_id, folder_id) DO NOTHING
       RETURNING folder_id`,
      [jobId, folders.map((f) => f.id), folders.map((f) => f.resourceKey ?? null), folders.map((f) => storableText(f.path))],
    )) as { folder_id: string }[];
    const fresh = new Set(inserted.map((r) => r.folder_id));
    return folders.filter((f) => fresh.has(f.id));
  }
}

