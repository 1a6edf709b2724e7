import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from './column-transformers.js';

/** One row per imported image; unique on (owner, source, source file id), so a re-import by the same user adds nothing. */
export interface ImageRow {
  id: string;
  /** The user whose gallery holds it; null only for an image from before accounts, until the first administrator claims it. */
  ownerId: string | null;
  /** `google_drive`, `dropbox` or `url`. */
  source: string;
  sourceFileId: string;
  /** The assignment's field name, kept for Drive images; null for other sources. */
  googleDriveId: string | null;
  /** The job that first imported the image. */
  jobId: string | null;
  name: string;
  mimeType: string;
  size: number;
  /** Object key in the bucket; deterministic and never built from the file's name. */
  storagePath: string;
  md5: string | null;
  /** Dropbox's content_hash of the stored bytes, when the source lists one: a changed file is fetched again. */
  contentHash: string | null;
  width: number | null;
  height: number | null;
  /** Object key of the WebP preview, once made; null until then (or when the image cannot be previewed). */
  previewPath: string | null;
  previewWidth: number | null;
  previewHeight: number | null;
  createdAt: Date;
}

export const ImageEntity = new EntitySchema<ImageRow>({
  name: 'Image',
  tableName: 'images',
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'uuid', nullable: true },
    source: { type: 'varchar', length: 32 },
    sourceFileId: { name: 'source_file_id', type: 'text' },
    googleDriveId: { name: 'google_drive_id', type: 'text', nullable: true },
    jobId: { name: 'job_id', type: 'uuid', nullable: true },
    name: { type: 'text' },
    mimeType: { name: 'mime_type', type: 'varchar', length: 255 },
    size: { type: 'bigint', transformer: bigintAsNumber },
    storagePath: { name: 'storage_path', type: 'text' },
    md5: { type: 'char', length: 32, nullable: true },
    contentHash: { name: 'content_hash', type: 'char', length: 64, nullable: true },
    width: { type: 'integer', nullable: true },
    height: { type: 'integer', nullable: true },
    previewPath: { name: 'preview_path', type: 'text', nullable: true },
    previewWidth: { name: 'preview_width', type: 'integer', nullable: true },
    previewHeight: { name: 'preview_height', type: 'integer', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
  },
  foreignKeys: [
    { name: 'images_owner_id_fkey', target: 'User', columnNames: ['ownerId'], referencedColumnNames: ['id'], onDelete: 'RESTRICT' },
    { name: 'images_job_id_fkey', target: 'ImportJob', columnNames: ['jobId'], referencedColumnNames: ['id'], onDelete: 'SET NULL' },
  ],
  // NULLS NOT DISTINCT in the migration: TypeORM neither describes nor compares it, so the migrations test checks it.
  uniques: [{ name: 'images_owner_source_file', columns: ['ownerId', 'source', 'sourceFileId'] }],
  indices: [
    { name: 'images_owner_created_at_id', columns: ['ownerId', 'createdAt', 'id'] },
    { name: 'images_owner_source_created_at_id', columns: ['ownerId', 'source', 'createdAt', 'id'] },
    { name: 'images_job_created_at_id', columns: ['jobId', 'createdAt', 'id'] },
  ],
});
