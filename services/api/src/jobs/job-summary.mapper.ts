import { hasCompleted, type JobSummary } from '@importer/contracts';
import type { JobSummaryRow } from '@importer/db';

/** A job's summary row as the HTTP API and the webhook show it: snake_case, ISO times, progress in percent (one decimal). */
export function toJobSummary(row: JobSummaryRow): JobSummary {
  const ended = row.done + row.failed + row.skipped;
  const percent = hasCompleted(row.status) ? 100 : row.found ? (100 * ended) / row.found : 0;
  return {
    job_id: row.id,
    status: row.status,
    source: row.source as JobSummary['source'],
    folder_url: row.folderUrl,
    total_files: row.found,
    processed_files: row.done,
    failed_files: row.failed,
    skipped_files: row.skipped,
    bytes: row.bytes,
    progress_percent: Math.min(100, Math.round(percent * 10) / 10),
    error: row.error,
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
