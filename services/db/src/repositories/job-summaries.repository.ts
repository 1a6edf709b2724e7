import { ENDED_STATUSES, type JobStatus, type JobTotals } from '@importer/contracts';
import type { DataSource } from 'typeorm';
import type { ImportJobRow } from '../entities/import-job.entity.js';
import { storableOrNull } from '../storable-text.js';
import { ownerCondition, type OwnerScope } from './owner-scope.js';

/** A job to open, always for a user: the rest of its row starts as the table's defaults say (queued, every counter at 0). */
export type NewJob = Pick<ImportJobRow, 'id' | 'source' | 'folderUrl' | 'webhookUrl'> & Partial<Pick<ImportJobRow, 'recursive' | 'maxFiles'>> & { ownerId: string };

/** What the ImportJob actor saves after every change, so jobs list and read without waking actors. */
export type JobSummaryUpdate = Pick<ImportJobRow, 'id' | 'status' | keyof JobTotals | 'error' | 'finishedAt'>;

/** A job as the API lists and reads it. */
export type JobSummaryRow = Omit<ImportJobRow, 'webhookUrl' | 'recursive' | 'maxFiles' | 'updatedAt'>;

/** A job with the settings it started with, for rebuilding an ImportJob actor whose state was lost. */
export type RestorableJob = Omit<ImportJobRow, 'ownerId'>;

/** Where a page of jobs continues: the (created_at, id) of the last job on the previous page. */
export type JobPageCursor = Pick<ImportJobRow, 'createdAt' | 'id'>;

const JOB_COLUMNS = `id, source, folder_url AS "folderUrl", status, total_files AS "totalFiles", processed_files AS "processedFiles",
  failed_files AS "failedFiles", skipped_files AS "skippedFiles", bytes::float8 AS bytes, error, created_at AS "createdAt", finished_at AS "finishedAt"`;
const SUMMARY_COLUMNS = `owner_id AS "ownerId", ${JOB_COLUMNS}`;
const SETTINGS_COLUMNS = `webhook_url AS "webhookUrl", recursive, max_files AS "maxFiles", updated_at AS "updatedAt"`;

/** The `import_jobs` table: one summary row per job, opened by the ImportJob actor and kept by it; text written as storableText. */
export class JobSummariesRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates the job's row, queued; a second call for the same job does nothing (nor changes its owner). */
  async open(job: NewJob): Promise<void> {
    await this.db.query(
      `INSERT INTO import_jobs (id, owner_id, source, folder_url, webhook_url, recursive, max_files, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued') ON CONFLICT (id) DO NOTHING`,
      [job.id, job.ownerId, job.source, storableOrNull(job.folderUrl), storableOrNull(job.webhookUrl), job.recursive ?? true, job.maxFiles ?? null],
    );
  }

  async save(summary: JobSummaryUpdate): Promise<void> {
    await this.db.query(
      `UPDATE import_jobs SET status = $2, total_files = $3, processed_files = $4, failed_files = $5, skipped_files = $6,
         bytes = $7, error = $8, finished_at = $9, updated_at = now()
       WHERE id = $1`,
      [
        summary.id,
        summary.status,
        summary.totalFiles,
        summary.processedFiles,
        summary.failedFiles,
        summary.skippedFiles,
        summary.bytes,
        storableOrNull(summary.error),
        summary.finishedAt,
      ],
    );
  }

  /** The job, if the scope sees it: another owner's job looks like no job. */
  async find(jobId: string, scope: OwnerScope): Promise<JobSummaryRow | undefined> {
    const params: unknown[] = [jobId];
    const [row] = (await this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM import_jobs WHERE id = $1 AND ${ownerCondition(scope, 'owner_id', params)}`, params)) as JobSummaryRow[];
    return row;
  }

  /** Any owner's job with its settings, for the ImportJob actor rebuilding state its store lost. */
  async findToRestore(jobId: string): Promise<RestorableJob | undefined> {
    const [row] = (await this.db.query(`SELECT ${JOB_COLUMNS}, ${SETTINGS_COLUMNS} FROM import_jobs WHERE id = $1`, [jobId])) as RestorableJob[];
    return row;
  }

  /** The scope's jobs newest first, `limit` at a time, continuing after `cursor`: the same cost on every page (one owner's through its index). */
  async page(scope: OwnerScope, limit: number, cursor?: JobPageCursor): Promise<JobSummaryRow[]> {
    const params: unknown[] = [];
    let condition = ownerCondition(scope, 'owner_id', params);
    if (cursor) condition += ` AND (created_at, id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)})`;
    return (await this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM import_jobs WHERE ${condition} ORDER BY created_at DESC, id DESC LIMIT $${params.push(limit)}`,
      params,
    )) as JobSummaryRow[];
  }

  /** Whose job it is, for services that store its files: null for a job from before accounts not claimed yet, undefined for no such job. */
  async owner(jobId: string): Promise<string | null | undefined> {
    const [row] = (await this.db.query(`SELECT owner_id AS "ownerId" FROM import_jobs WHERE id = $1`, [jobId])) as Pick<ImportJobRow, 'ownerId'>[];
    return row?.ownerId;
  }

  /** How many of the owner's jobs have not ended yet (see ENDED_STATUSES). */
  async countActive(ownerId: string): Promise<number> {
    const [row] = (await this.db.query(`SELECT count(*)::int AS n FROM import_jobs WHERE owner_id = $1 AND status <> ALL($2::text[])`, [
      ownerId,
      [...ENDED_STATUSES],
    ])) as { n: number }[];
    return row?.n ?? 0;
  }

  /** The job's status as last saved, for services that must not work on a cancelled job. */
  async status(jobId: string): Promise<JobStatus | undefined> {
    const [row] = (await this.db.query(`SELECT status FROM import_jobs WHERE id = $1`, [jobId])) as Pick<ImportJobRow, 'status'>[];
    return row?.status;
  }
}
