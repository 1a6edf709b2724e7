import type { JobStatus, JobTotals } from '@importer/contracts';
import type { DataSource } from 'typeorm';
import type { ImportJobRow } from '../entities/import-job.entity.js';
import { storableOrNull } from '../storable-text.js';

/** A job to open: the rest of its row starts as the table's defaults say (queued, every counter at 0). */
export type NewJob = Pick<ImportJobRow, 'id' | 'source' | 'folderUrl' | 'webhookUrl'>;

/** What the ImportJob actor saves after every change, so jobs list and read without waking actors. */
export type JobSummaryUpdate = Pick<ImportJobRow, 'id' | 'status' | keyof JobTotals | 'error' | 'finishedAt'>;

/** A job as the API lists and reads it. */
export type JobSummaryRow = Omit<ImportJobRow, 'webhookUrl' | 'updatedAt'>;

/** Where a page of jobs continues: the (created_at, id) of the last job on the previous page. */
export type JobPageCursor = Pick<ImportJobRow, 'createdAt' | 'id'>;

const SUMMARY_COLUMNS = `id, source, folder_url AS "folderUrl", status, total_files AS "totalFiles", processed_files AS "processedFiles",
  failed_files AS "failedFiles", skipped_files AS "skippedFiles", bytes::float8 AS bytes, error, created_at AS "createdAt", finished_at AS "finishedAt"`;

/** The `import_jobs` table: one summary row per job, opened by the ImportJob actor and kept by it; text written as storableText. */
export class JobSummariesRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates the job's row, queued; a second call for the same job does nothing. */
  async open(job: NewJob): Promise<void> {
    await this.db.query(
      `INSERT INTO import_jobs (id, source, folder_url, webhook_url, status) VALUES ($1, $2, $3, $4, 'queued') ON CONFLICT (id) DO NOTHING`,
      [job.id, job.source, storableOrNull(job.folderUrl), storableOrNull(job.webhookUrl)],
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

  async find(jobId: string): Promise<JobSummaryRow | undefined> {
    const [row] = (await this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM import_jobs WHERE id = $1`, [jobId])) as JobSummaryRow[];
    return row;
  }

  /** Newest first, `limit` at a time, continuing after `cursor`: the same cost on every page. */
  async page(limit: number, cursor?: JobPageCursor): Promise<JobSummaryRow[]> {
    return cursor
      ? ((await this.db.query(
          `SELECT ${SUMMARY_COLUMNS} FROM import_jobs WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT $3`,
          [cursor.createdAt, cursor.id, limit],
        )) as JobSummaryRow[])
      : ((await this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM import_jobs ORDER BY created_at DESC, id DESC LIMIT $1`, [limit])) as JobSummaryRow[]);
  }

  /** The job's status as last saved, for services that must not work on a cancelled job. */
  async status(jobId: string): Promise<JobStatus | undefined> {
    const [row] = (await this.db.query(`SELECT status FROM import_jobs WHERE id = $1`, [jobId])) as Pick<ImportJobRow, 'status'>[];
    return row?.status;
  }
}
