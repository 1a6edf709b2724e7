import type { FileStatusSchema, SourceFile } from '@importer/contracts';
import { EntitySchema } from 'typeorm';
import type { z } from 'zod';
import { bigintAsNumber } from './column-transformers.js';

/** What the transfer needs of a listed file beyond the columns, as the source reported it. */
export type SourceMeta = Partial<Pick<SourceFile, 'locator' | 'md5' | 'contentHash' | 'resourceKey' | 'sharedLink' | 'width' | 'height'>>;

/** The per-file ledger: what makes retry, resume, the watchdog and the per-file error report possible. */
export interface ImportFileRow {
  id: string;
  jobId: string;
  /** The source's own id for the file (Drive file id, Dropbox id, hash of a URL). */
  sourceFileId: string;
  name: string;
  /** Where the file sits in the source, for people: `Holidays/2024/IMG_1.jpg`. */
  sourcePath: string;
  mimeType: string | null;
  size: number | null;
  /** Held to the contracts' file statuses by `import_files_status_check`. */
  status: z.infer<typeof FileStatusSchema>;
  attempts: number;
  lastError: string | null;
  imageId: string | null;
  sourceMeta: SourceMeta;
  /** The replica working on it now (null when none is); with `leaseExpiresAt` in the past, a dead replica's work to send again. */
  leaseHolder: string | null;
  /** Until when the holder's claim stands; with no holder, when a retry is due. Null while it waits in the broker. */
  leaseExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ImportFileEntity = new EntitySchema<ImportFileRow>({
  name: 'ImportFile',
  tableName: 'import_files',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    jobId: { name: 'job_id', type: 'uuid' },
    sourceFileId: { name: 'source_file_id', type: 'text' },
    name: { type: 'text' },
    sourcePath: { name: 'source_path', type: 'text' },
    mimeType: { name: 'mime_type', type: 'varchar', length: 255, nullable: true },
    size: { type: 'bigint', nullable: true, transformer: bigintAsNumber },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'integer', default: 0 },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    imageId: { name: 'image_id', type: 'uuid', nullable: true },
    sourceMeta: { name: 'source_meta', type: 'jsonb', default: {} },
    leaseHolder: { name: 'lease_holder', type: 'text', nullable: true },
    leaseExpiresAt: { name: 'lease_expires_at', type: 'timestamptz', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
  foreignKeys: [
    { name: 'import_files_job_id_fkey', target: 'ImportJob', columnNames: ['jobId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
    { name: 'import_files_image_id_fkey', target: 'Image', columnNames: ['imageId'], referencedColumnNames: ['id'], onDelete: 'SET NULL' },
  ],
  uniques: [{ name: 'import_files_job_source_file', columns: ['jobId', 'sourceFileId'] }],
  indices: [
    { name: 'import_files_job_status_updated', columns: ['jobId', 'status', 'updatedAt'] },
    { name: 'import_files_job_id', columns: ['jobId', 'id'] },
    { name: 'import_files_job_status_id', columns: ['jobId', 'status', 'id'] },
    { name: 'import_files_lease_expires', columns: ['leaseExpiresAt'], where: `status = 'pending' AND lease_expires_at IS NOT NULL` },
  ],
  checks: [{ name: 'import_files_status_check', expression: `status IN ('pending', 'done', 'failed', 'skipped')` }],
});
