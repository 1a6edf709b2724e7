import type { FolderRef, SkippedEntry, SourceFile } from '@importer/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { storableOrNull, storableText } from '../storable-text.js';
import { LEASE_FREE, msFromNow, type WorkLease } from '../leases/work-lease.js';
import { renewLeaseRows } from './lease-renewal.js';
import { returningRows } from './returning-rows.js';
import { toSourceMeta } from './source-file.mapper.js';

/** One page of a folder as the source listed it. */
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

/**
 * An attempt at a folder's page, counted before it starts: go on with `listing`; a `failed` folder is not listed
 * again (its job fails with `reason`); `stale` when the folder has moved past that page; `held` while another
 * replica's live lease covers it.
 */
export type ListingAttempt = { state: 'listing'; attempt: number } | { state: 'failed'; reason: string } | { state: 'stale' } | { state: 'held' };

/** Attempts at one page of a folder before it fails: with retries 1 s apart doubling to 30 s, about eight minutes of trying. */
const MAX_LISTING_ATTEMPTS = 20;

/**
 * The lister's side of the ledger: each attempt at a folder's page counted, and each listed page recorded with the
 * files, skipped entries and subfolders it found. Every write is idempotent (unique keys, ON CONFLICT DO NOTHING, a
 * page recorded only from the cursor the folder is at), so a redelivered request records nothing twice; every name,
 * path and reason goes through storableText.
 */
export class FolderListingsRepository {
  private readonly maxListingAttempts: number;

  constructor(
    private readonly db: DataSource,
    options: { maxListingAttempts?: number } = {},
  ) {
    this.maxListingAttempts = options.maxListingAttempts ?? MAX_LISTING_ATTEMPTS;
  }

  /**
   * Counts an attempt at the page of `folderId` at `cursor` before it is listed, so an attempt that crashes counts too,
   * and takes the page's lease. The attempt after the last allowed one fails the folder instead, with the last error.
   */
  async beginListing(jobId: string, folderId: string, cursor: string | null, lease: WorkLease): Promise<ListingAttempt> {
    const [row] = await returningRows<{ attempts: number; status: string; lastError: string | null }>(
      this.db,
      `UPDATE import_folders SET attempts = attempts + 1, updated_at = now(),
         status = CASE WHEN attempts >= $4::int THEN 'failed' ELSE status END,
         last_error = CASE WHEN attempts >= $4::int THEN $5::text || coalesce(last_error, 'none of them reported an error (the lister stopped while listing)') ELSE last_error END,
         lease_holder = CASE WHEN attempts >= $4::int THEN NULL ELSE $6 END,
         lease_expires_at = CASE WHEN attempts >= $4::int THEN NULL ELSE ${msFromNow('$7')} END
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text AND ${LEASE_FREE}
       RETURNING attempts, status, last_error AS "lastError"`,
      [jobId, folderId, cursor, this.maxListingAttempts, `${this.maxListingAttempts} attempts at this page did not finish; the last one: `, lease.holder, lease.ttlMs],
    );
    if (row) return row.status === 'failed' ? { state: 'failed', reason: row.lastError ?? 'listing failed' } : { state: 'listing', attempt: row.attempts };
    const [folder] = (await this.db.query(
      `SELECT status, last_error AS "lastError", cursor IS NOT DISTINCT FROM $3::text AS "atCursor", NOT ${LEASE_FREE} AS held
       FROM import_folders WHERE job_id = $1 AND folder_id = $2`,
      [jobId, folderId, cursor],
    )) as { status: string; lastError: string | null; atCursor: boolean; held: boolean }[];
    if (folder?.status === 'failed') return { state: 'failed', reason: folder.lastError ?? 'listing failed' };
    return folder?.status === 'listing' && folder.atCursor && folder.held ? { state: 'held' } : { state: 'stale' };
  }

  /** Renews the leases `holder` has on these folders (job and folder id pairs); answers the pairs it still holds. */
  async renewLeases(holder: string, ttlMs: number, folders: readonly (readonly [jobId: string, folderId: string])[]): Promise<[string, string][]> {
    return renewLeaseRows(this.db, { table: 'import_folders', idColumn: 'folder_id', workingStatus: 'listing' }, holder, ttlMs, folders);
  }


  /**
   * Gives a folder's page back for another replica to list at once (this one is shutting down): the lease ends and,
   * when `holder` held it, the attempt it counted is returned. The reaper sends it again.
   */
  async handBack(jobId: string, folderId: string, cursor: string | null, holder: string): Promise<boolean> {
    const rows = await returningRows(
      this.db,
      `UPDATE import_folders SET attempts = CASE WHEN lease_holder = $4 THEN greatest(attempts - 1, 0) ELSE attempts END,
         lease_holder = NULL, lease_expires_at = now(), updated_at = now()
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text AND (lease_holder = $4 OR ${LEASE_FREE})
       RETURNING 1`,
      [jobId, folderId, cursor, holder],
    );
    return rows.length > 0;
  }

  /**
   * Records one listed page of `folder`, listed from `cursor`, in one transaction. Answers 'stale' when the
   * folder has moved past that page (a redelivery), so nothing is recorded or published twice.
   */
  async recordPage(jobId: string, folder: FolderRef, cursor: string | null, page: ListedPage): Promise<RecordedPage | 'stale'> {
    return this.db.transaction(async (tx) => {
      const [current] = (await tx.query(`SELECT cursor, status FROM import_folders WHERE job_id = $1 AND folder_id = $2 FOR UPDATE`, [jobId, folder.id])) as {
        cursor: string | null;
        status: string;
      }[];
      if (!current || current.status !== 'listing' || current.cursor !== cursor) return 'stale';

      const newFiles = await this.insertFiles(tx, jobId, page.files);
      const newSkipped = await this.insertSkipped(tx, jobId, page.skipped);
      const newFolders = await this.insertFolders(tx, jobId, page.folders);
      await tx.query(
        `UPDATE import_folders SET cursor = $3, status = $4, attempts = 0, last_error = NULL, lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
         WHERE job_id = $1 AND folder_id = $2`,
        [jobId, folder.id, page.nextCursor, page.nextCursor === null ? 'done' : 'listing'],
      );
      return { newFiles, newFolders, newSkipped, folderDone: page.nextCursor === null };
    });
  }

  /**
   * Notes why the current attempt at a folder's page failed; the last allowed attempt fails the folder, any other
   * makes the lease a retry due in `retryDelayMs` (the reaper sends it). Returns the folder's reason when it is now
   * failed, else undefined.
   */
  async noteListingFailed(jobId: string, folderId: string, cursor: string | null, reason: string, retryDelayMs: number): Promise<string | undefined> {
    const [row] = await returningRows<{ status: string; lastError: string }>(
      this.db,
      `UPDATE import_folders SET updated_at = now(),
         status = CASE WHEN attempts >= $4::int THEN 'failed' ELSE status END,
         last_error = CASE WHEN attempts >= $4::int THEN $5::text || $6::text ELSE $6::text END,
         lease_holder = NULL,
         lease_expires_at = CASE WHEN attempts >= $4::int THEN NULL ELSE ${msFromNow('$7')} END
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text
       RETURNING status, last_error AS "lastError"`,
      [jobId, folderId, cursor, this.maxListingAttempts, `${this.maxListingAttempts} attempts at this page failed; the last one: `, storableText(reason), Math.round(retryDelayMs)],
    );
    return row?.status === 'failed' ? row.lastError : undefined;
  }

  /** Fails a folder whose page can never be listed or stored; false when it had moved past that page or already ended. */
  async failFolder(jobId: string, folderId: string, cursor: string | null, reason: string): Promise<boolean> {
    const rows = await returningRows(
      this.db,
      `UPDATE import_folders SET status = 'failed', last_error = $4, lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE job_id = $1 AND folder_id = $2 AND status = 'listing' AND cursor IS NOT DISTINCT FROM $3::text RETURNING 1`,
      [jobId, folderId, cursor, storableText(reason)],
    );
    return rows.length > 0;
  }

  private async insertFiles(tx: EntityManager, jobId: string, files: readonly SourceFile[]): Promise<SourceFile[]> {
    if (files.length === 0) return [];
    const inserted = (await tx.query(
      `INSERT INTO import_files (job_id, source_file_id, name, source_path, mime_type, size, status, source_meta)
       SELECT $1, f.id, f.name, f.path, f.mime, f.size, 'pending', f.meta
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::jsonb[]) AS f(id, name, path, mime, size, meta)
       ON CONFLICT (job_id, source_file_id) DO NOTHING
       RETURNING source_file_id AS "sourceFileId"`,
      [
        jobId,
        files.map((f) => f.sourceFileId),
        files.map((f) => storableText(f.name)),
        files.map((f) => storableText(f.path)),
        files.map((f) => storableText(f.mimeType)),
        files.map((f) => f.size),
        files.map((f) => JSON.stringify(toSourceMeta(f))),
      ],
    )) as { sourceFileId: string }[];
    const fresh = new Set(inserted.map((r) => r.sourceFileId));
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
      `INSERT INTO import_folders (job_id, folder_id, resource_key, shared_link, path, cursor, status)
       SELECT $1, f.id, f.key, f.link, f.path, NULL, 'listing'
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS f(id, key, link, path)
       ON CONFLICT (job_id, folder_id) DO NOTHING
       RETURNING folder_id AS "folderId"`,
      [jobId, folders.map((f) => f.id), folders.map((f) => f.resourceKey ?? null), folders.map((f) => f.sharedLink ?? null), folders.map((f) => storableText(f.path))],
    )) as { folderId: string }[];
    const fresh = new Set(inserted.map((r) => r.folderId));
    return folders.filter((f) => fresh.has(f.id));
  }
}
