import type { DataSource } from 'typeorm';
import type { ImportFileRow } from '../entities/import-file.entity.js';
import { storableText } from '../storable-text.js';
import { LEASE_FREE, msFromNow, type WorkLease } from '../leases/work-lease.js';
import { renewLeaseRows } from './lease-renewal.js';
import { returningRows } from './returning-rows.js';

/** A file the transfer finished: the image it became and its bytes. */
export type FileDone = Pick<ImportFileRow, 'sourceFileId'> & { [K in 'imageId' | 'size']: NonNullable<ImportFileRow[K]> };

/** What a claim on a batch's files came to: the files this replica now holds, and those whose attempts were used up. */
export interface FileClaim {
  /** Each claimed file with the number of the attempt it starts now. */
  claimed: Map<string, number>;
  /** Files failed by this claim instead: every attempt started and none ended (a crash counts), with the reason. */
  exhausted: Map<string, string>;
}

/** SQL: a file's lease is cleared with its outcome. */
const NO_LEASE = `lease_holder = NULL, lease_expires_at = NULL`;

/**
 * The transfer's side of the ledger: each file claimed under a lease (counting the attempt before it starts), its
 * lease renewed while it runs, and its outcome recorded. Only a file still `pending` changes, so a redelivered batch
 * counts and records nothing twice; reasons go through storableText.
 */
export class FileOutcomesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes the files of a batch that are pending and free (no live lease), each with its attempt count raised by one,
   * under `lease`. A file whose every attempt already started without an outcome fails here instead of starting again,
   * so a file that kills the process ends. Files done, failed, skipped or held by a live replica are left out.
   */
  async claimFiles(jobId: string, sourceFileIds: readonly string[], lease: WorkLease, maxAttempts: number): Promise<FileClaim> {
    const rows = await returningRows<{ sourceFileId: string; attempts: number; status: string; lastError: string | null }>(
      this.db,
      `UPDATE import_files SET updated_at = now(),
         attempts = CASE WHEN attempts >= $5 THEN attempts ELSE attempts + 1 END,
         status = CASE WHEN attempts >= $5 THEN 'failed' ELSE status END,
         last_error = CASE WHEN attempts >= $5
           THEN $6::text || coalesce(last_error, 'none of them ended with an outcome (the transfer stopped while working on it)') ELSE last_error END,
         lease_holder = CASE WHEN attempts >= $5 THEN NULL ELSE $3 END,
         lease_expires_at = CASE WHEN attempts >= $5 THEN NULL ELSE ${msFromNow('$4')} END
       WHERE job_id = $1 AND source_file_id = ANY($2::text[]) AND status = 'pending' AND ${LEASE_FREE}
       RETURNING source_file_id AS "sourceFileId", attempts, status, last_error AS "lastError"`,
      [jobId, sourceFileIds, lease.holder, lease.ttlMs, maxAttempts, `${maxAttempts} attempts started and none finished; the last error: `],
    );
    const claim: FileClaim = { claimed: new Map(), exhausted: new Map() };
    for (const row of rows) {
      if (row.status === 'failed') claim.exhausted.set(row.sourceFileId, row.lastError ?? 'every attempt was used up');
      else claim.claimed.set(row.sourceFileId, row.attempts);
    }
    return claim;
  }

  /** Renews the leases `holder` has on these files (job and file id pairs); answers the pairs it still holds. */
  async renewLeases(holder: string, ttlMs: number, files: readonly (readonly [jobId: string, sourceFileId: string])[]): Promise<[string, string][]> {
    return renewLeaseRows(this.db, { table: 'import_files', idColumn: 'source_file_id', workingStatus: 'pending' }, holder, ttlMs, files);
  }


  /** Marks files done, each with the image it became, in one statement; returns the ids that were still pending. */
  async markManyDone(jobId: string, files: readonly FileDone[]): Promise<Set<string>> {
    if (files.length === 0) return new Set();
    const rows = await returningRows<Pick<ImportFileRow, 'sourceFileId'>>(
      this.db,
      `UPDATE import_files AS f SET status = 'done', image_id = d.image_id, size = d.size, last_error = NULL, ${NO_LEASE}, updated_at = now()
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
      `UPDATE import_files SET status = 'failed', last_error = $3, ${NO_LEASE}, updated_at = now()
       WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending' RETURNING 1`,
      [jobId, sourceFileId, storableText(reason)],
    );
    return rows.length > 0;
  }

  /**
   * Ends `holder`'s attempt at a still-pending file that did not succeed: the reason is kept, and the lease becomes a
   * retry due in `delayMs`, which the api's reaper sends again. Nothing changes when another replica holds it now.
   */
  async scheduleRetry(jobId: string, sourceFileId: string, holder: string, reason: string, delayMs: number): Promise<void> {
    await this.db.query(
      `UPDATE import_files SET last_error = $4, lease_holder = NULL, lease_expires_at = ${msFromNow('$5')}, updated_at = now()
       WHERE job_id = $1 AND source_file_id = $2 AND status = 'pending' AND lease_holder = $3`,
      [jobId, sourceFileId, holder, storableText(reason), Math.round(delayMs)],
    );
  }

  /**
   * Gives files back for another replica to take at once (this one is shutting down): those `holder` holds lose their
   * lease and the attempt it counted; those no one holds are marked due. The reaper sends both again.
   */
  async handBack(jobId: string, sourceFileIds: readonly string[], holder: string): Promise<number> {
    const rows = await returningRows(
      this.db,
      `UPDATE import_files SET attempts = CASE WHEN lease_holder = $3 THEN greatest(attempts - 1, 0) ELSE attempts END,
         lease_holder = NULL, lease_expires_at = now(), updated_at = now()
       WHERE job_id = $1 AND source_file_id = ANY($2::text[]) AND status = 'pending' AND (lease_holder = $3 OR ${LEASE_FREE})
       RETURNING 1`,
      [jobId, sourceFileIds, holder],
    );
    return rows.length;
  }
}
