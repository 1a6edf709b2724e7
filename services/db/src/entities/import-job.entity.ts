import type { JobStatus, JobTotals, SourceKind } from '@importer/contracts';
import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from './column-transformers.js';

/** One row per import: the summary the ImportJob actor writes, so jobs list without waking actors. Its counters are the contracts' JobTotals. */
export interface ImportJobRow extends JobTotals {
  id: string;
  /** The user whose job it is; null only for a job from before accounts, until the first administrator claims it. */
  ownerId: string | null;
  source: SourceKind;
  /** The folder link as the user gave it; null for URL lists. */
  folderUrl: string | null;
  /** Held to the contracts' statuses by `import_jobs_status_check`. */
  status: JobStatus;
  webhookUrl: string | null;
  /** Whether subfolders are listed too; kept so a folder re-sent from the ledger is listed as the job asked. */
  recursive: boolean;
  /** The owner's file quota per job when it started; null for none (a job from before quotas). */
  maxFiles: number | null;
  /** Why a job failed as a whole (a file's own failure lives in `import_files`). */
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export const ImportJobEntity = new EntitySchema<ImportJobRow>({
  name: 'ImportJob',
  tableName: 'import_jobs',
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'uuid', nullable: true },
    source: { type: 'varchar', length: 32 },
    folderUrl: { name: 'folder_url', type: 'text', nullable: true },
    status: { type: 'varchar', length: 32 },
    totalFiles: { name: 'total_files', type: 'integer', default: 0 },
    processedFiles: { name: 'processed_files', type: 'integer', default: 0 },
    failedFiles: { name: 'failed_files', type: 'integer', default: 0 },
    skippedFiles: { name: 'skipped_files', type: 'integer', default: 0 },
    bytes: { type: 'bigint', default: 0, transformer: bigintAsNumber },
    webhookUrl: { name: 'webhook_url', type: 'text', nullable: true },
    recursive: { type: 'boolean', default: true },
    maxFiles: { name: 'max_files', type: 'integer', nullable: true },
    error: { type: 'text', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
    finishedAt: { name: 'finished_at', type: 'timestamptz', nullable: true },
  },
  foreignKeys: [{ name: 'import_jobs_owner_id_fkey', target: 'User', columnNames: ['ownerId'], referencedColumnNames: ['id'], onDelete: 'RESTRICT' }],
  indices: [
    { name: 'import_jobs_created_at_id', columns: ['createdAt', 'id'] },
    { name: 'import_jobs_owner_created_at_id', columns: ['ownerId', 'createdAt', 'id'] },
  ],
  checks: [
    {
      name: 'import_jobs_status_check',
      expression: `status IN ('queued', 'listing', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled')`,
    },
  ],
});
