import { EntitySchema } from 'typeorm';

/** A folder of a job: listed page by page from `cursor` until it is `done`. */
export interface ImportFolderRow {
  jobId: string;
  folderId: string;
  resourceKey: string | null;
  /** Path from the job's root folder: '' for the root. */
  path: string;
  /** The page to list next; null for the first page. */
  cursor: string | null;
  /** `listing` or `done`. */
  status: string;
  updatedAt: Date;
}

export const ImportFolderEntity = new EntitySchema<ImportFolderRow>({
  name: 'ImportFolder',
  tableName: 'import_folders',
  columns: {
    jobId: { name: 'job_id', type: 'uuid', primary: true },
    folderId: { name: 'folder_id', type: 'text', primary: true },
    resourceKey: { name: 'resource_key', type: 'text', nullable: true },
    path: { type: 'text' },
    cursor: { type: 'text', nullable: true },
    status: { type: 'varchar', length: 16 },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
  foreignKeys: [
    { name: 'import_folders_job_id_fkey', target: 'ImportJob', columnNames: ['jobId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
  ],
  indices: [{ name: 'import_folders_job_status_updated', columns: ['jobId', 'status', 'updatedAt'] }],
  checks: [{ name: 'import_folders_status_check', expression: `status IN ('listing', 'done')` }],
});
