import { hasCompleted, type JobSummary } from '@importer/contracts';
import type { JobSummaryRow } from '@importer/db';

/**
 * A job's summary row as the HTTP API and the webhook show it: the one place a job's row becomes its HTTP shape.
 * The counters keep their names (`totalFiles` is `total_files`); times become ISO text and progress a percentage with one decimal.
 */
export function toJobSummary(row: JobSummaryRow): JobSummary {
  const ended = row.processedFiles + row.failedFiles + row.skippedFiles;
  const percent = hasCompleted(row.status) ? 100 : row.totalFiles ? (100 * ended) / row.totalFiles : 0;
  return {
    job_id: row.id,
    status: row.status,
    source: row.source,
    folder_url: row.folderUrl,
    total_files: row.totalFiles,
    processed_files: row.processedFiles,
    failed_files: row.failedFiles,
    skipped_files: row.skippedFiles,
    bytes: row.bytes,
    progress_percent: Math.min(100, Math.round(percent * 10) / 10),
    error: row.error,
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
