import { EntitySchema } from 'typeorm';

/** A folder of a job: listed page by page from `cursor` until it is `done`. */
export interface ImportFolderRow {
  jobId: string;
  folderId: string;
  /** Drive only: the folder's resource key. */
  resourceKey: string | null;
  /** Dropbox only: the shared link the folder is listed through. */
  sharedLink: string | null;
  /** Path from the job's root folder: '' for the root. */
  path: string;
  /** The page to list next; null for the first page. */
  cursor: string | null;
  /** `listing`, `done`, or `failed` (its page could not be listed or stored; the job fails with `lastError`). */
  status: string;
  /** Attempts at the page at `cursor`, counted before each one starts; back to 0 when a page is recorded. */
  attempts: number;
  /** Why the latest attempt did not finish; for a failed folder, why it failed. */
  lastError: string | null;
  /** The replica working on it now (null when none is); with `leaseExpiresAt` in the past, a dead replica's work to send again. */
  leaseHolder: string | null;
  /** Until when the holder's claim stands; with no holder, when a retry is due. Null while it waits in the broker. */
  leaseExpiresAt: Date | null;
  updatedAt: Date;
}

export const ImportFolderEntity = new EntitySchema<ImportFolderRow>({
  name: 'ImportFolder',
  tableName: 'import_folders',
  columns: {
    jobId: { name: 'job_id', type: 'uuid', primary: true },
    folderId: { name: 'folder_id', type: 'text', primary: true },
    resourceKey: { name: 'resource_key', type: 'text', nullable: true },
    sharedLink: { name: 'shared_link', type: 'text', nullable: true },
    path: { type: 'text' },
    cursor: { type: 'text', nullable: true },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'integer', default: 0 },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    leaseHolder: { name: 'lease_holder', type: 'text', nullable: true },
    leaseExpiresAt: { name: 'lease_expires_at', type: 'timestamptz', nullable: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
  foreignKeys: [
    { name: 'import_folders_job_id_fkey', target: 'ImportJob', columnNames: ['jobId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
  ],
  indices: [
    { name: 'import_folders_job_status_updated', columns: ['jobId', 'status', 'updatedAt'] },
    { name: 'import_folders_lease_expires', columns: ['leaseExpiresAt'], where: `status = 'listing' AND lease_expires_at IS NOT NULL` },
  ],
  checks: [{ name: 'import_folders_status_check', expression: `status IN ('listing', 'done', 'failed')` }],
});
