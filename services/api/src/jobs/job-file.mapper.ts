import type { FileError, JobFile } from '@importer/contracts';
import type { FailedFile, LedgerFile } from '@importer/db';

/** A ledger file as `GET /import/jobs/{job_id}/files` shows it: an imported file has no reason, even one noted by an earlier attempt. */
export function toJobFile(file: LedgerFile): JobFile {
  return {
    source_file_id: file.sourceFileId,
    name: file.name,
    path: file.sourcePath,
    status: file.status,
    reason: file.status === 'done' ? null : file.lastError,
    attempts: file.attempts,
    image_id: file.imageId,
  };
}

/** A failed file as a job's `errors` show it. */
export function toFileError(file: FailedFile): FileError {
  return { source_file_id: file.sourceFileId, name: file.name, path: file.sourcePath, reason: file.lastError };
}
