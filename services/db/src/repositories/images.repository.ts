import type { DataSource } from 'typeorm';
import type { ImageRow } from '../entities/image.entity.js';
import { storableText } from '../storable-text.js';
import { ownerCondition, sameOwner } from './owner-scope.js';

/** An image to record: its row without what the database fills in. */
export type NewImage = Omit<ImageRow, 'createdAt' | 'googleDriveId' | 'previewPath' | 'previewWidth' | 'previewHeight' | 'contentHash'> &
  Partial<Pick<ImageRow, 'contentHash'>>;

/** An image already imported, as much as the transfer needs to decide whether to fetch it again. */
export type StoredImage = Pick<ImageRow, 'id' | 'md5' | 'size'> & Partial<Pick<ImageRow, 'contentHash'>>;

/** An image as the gallery reads it. */
export type ImageRecord = Omit<ImageRow, 'md5' | 'contentHash'>;

/** Which images a gallery page shows: always one owner's, first so the owner indices serve it. */
export interface ImageFilter {
  ownerId: string;
  source?: string;
  jobId?: string;
}

/** Where a keyset page continues: the (created_at, id) of the last image of the previous page. */
export interface ImageCursor {
  createdAt: Date;
  id: string;
}

const IMAGE_COLUMNS = `id, owner_id AS "ownerId", source, source_file_id AS "sourceFileId", google_drive_id AS "googleDriveId", job_id AS "jobId", name,
  mime_type AS "mimeType", size::float8 AS size, storage_path AS "storagePath", width, height, preview_path AS "previewPath",
  preview_width AS "previewWidth", preview_height AS "previewHeight", created_at AS "createdAt"`;

function where(filter: ImageFilter, params: unknown[]): string {
  const clauses = [ownerCondition({ ownerId: filter.ownerId }, 'owner_id', params)];
  if (filter.source) clauses.push(`source = $${params.push(filter.source)}`);
  if (filter.jobId) clauses.push(`job_id = $${params.push(filter.jobId)}`);
  return clauses.join(' AND ');
}

/** The `images` table: one row per image, unique on (owner, source, source file id); names and types written as storableText. */
export class ImagesRepository {
  constructor(private readonly db: DataSource) {}

  /** The owner's images already imported among these source files, by source file id: one query for a whole batch. */
  async findBySourceFiles(ownerId: string | null, source: string, sourceFileIds: readonly string[]): Promise<Map<string, StoredImage>> {
    const params: unknown[] = [source, sourceFileIds];
    const rows = (await this.db.query(
      `SELECT source_file_id AS "sourceFileId", id, md5, content_hash AS "contentHash", size::float8 AS size FROM images
       WHERE ${sameOwner('owner_id', ownerId, params)} AND source = $1 AND source_file_id = ANY($2::text[])`,
      params,
    )) as (StoredImage & { sourceFileId: string })[];
    return new Map(rows.map(({ sourceFileId, ...image }) => [sourceFileId, image]));
  }

  async findBySourceFile(ownerId: string | null, source: string, sourceFileId: string): Promise<StoredImage | undefined> {
    const params: unknown[] = [source, sourceFileId];
    const [row] = (await this.db.query(
      `SELECT id, md5, content_hash AS "contentHash", size::float8 AS size FROM images WHERE ${sameOwner('owner_id', ownerId, params)} AND source = $1 AND source_file_id = $2`,
      params,
    )) as StoredImage[];
    return row;
  }

  /**
   * Inserts the images of one owner and source, or updates the rows a concurrent or earlier transfer wrote for that
   * owner, in one statement; returns each row's id by source file id. A file listed twice (a shortcut beside its
   * target) is written once.
   */
  async upsertMany(images: readonly NewImage[]): Promise<Map<string, string>> {
    const bySourceFile = new Map(images.map((image) => [image.sourceFileId, image]));
    const rows = [...bySourceFile.values()];
    const [first] = rows;
    if (!first) return new Map();
    const { source, ownerId } = first;
    if (rows.some((image) => image.source !== source || image.ownerId !== ownerId)) throw new Error('upsertMany takes the images of one owner and one source');
    const column = <K extends keyof NewImage>(key: K) => rows.map((image) => image[key] ?? null);
    const written = (await this.db.query(
      `INSERT INTO images (id, owner_id, source, source_file_id, google_drive_id, job_id, name, mime_type, size, storage_path, md5, width, height, content_hash)
       SELECT id, $13::uuid, $1::varchar, source_file_id, CASE WHEN $1::varchar = 'google_drive' THEN source_file_id END, job_id, name, mime_type, size, storage_path, md5, width, height, content_hash
       FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::int[], $11::int[], $12::text[])
         AS given(id, source_file_id, job_id, name, mime_type, size, storage_path, md5, width, height, content_hash)
       ON CONFLICT (owner_id, source, source_file_id) DO UPDATE SET
         name = EXCLUDED.name, mime_type = EXCLUDED.mime_type, size = EXCLUDED.size, storage_path = EXCLUDED.storage_path,
         md5 = EXCLUDED.md5, width = EXCLUDED.width, height = EXCLUDED.height, content_hash = EXCLUDED.content_hash
       RETURNING source_file_id AS "sourceFileId", id`,
      [
        source,
        column('id'),
        column('sourceFileId'),
        column('jobId'),
        rows.map((image) => storableText(image.name)),
        rows.map((image) => storableText(image.mimeType)),
        column('size'),
        column('storagePath'),
        column('md5'),
        column('width'),
        column('height'),
        column('contentHash'),
        ownerId,
      ],
    )) as { sourceFileId: string; id: string }[];
    if (written.length !== rows.length) throw new Error(`upserting ${rows.length} images wrote ${written.length} rows`);
    return new Map(written.map((row) => [row.sourceFileId, row.id]));
  }

  /** Records an image's preview, and its dimensions where the transfer could not read them from the first bytes. */
  async setPreview(id: string, preview: { path: string; width: number; height: number }, dimensions: { width: number | null; height: number | null }): Promise<void> {
    await this.db.query(
      `UPDATE images SET preview_path = $2, preview_width = $3, preview_height = $4, width = coalesce(width, $5), height = coalesce(height, $6) WHERE id = $1`,
      [id, preview.path, preview.width, preview.height, dimensions.width, dimensions.height],
    );
  }

  /** Any owner's image, for the services that work on images by id (previews); the API reads with findOwned. */
  async find(id: string): Promise<ImageRecord | undefined> {
    const [row] = (await this.db.query(`SELECT ${IMAGE_COLUMNS} FROM images WHERE id = $1`, [id])) as ImageRecord[];
    return row;
  }

  /** The image if it is the owner's: another owner's image looks like no image. */
  async findOwned(id: string, ownerId: string): Promise<ImageRecord | undefined> {
    const params: unknown[] = [id];
    const [row] = (await this.db.query(`SELECT ${IMAGE_COLUMNS} FROM images WHERE id = $1 AND ${ownerCondition({ ownerId }, 'owner_id', params)}`, params)) as ImageRecord[];
    return row;
  }

  /** The filter's images newest first; after `cursor` (keyset: the same cost on every page) or from `offset` (for page numbers). */
  async page(filter: ImageFilter, limit: number, from: { cursor?: ImageCursor; offset?: number }): Promise<ImageRecord[]> {
    const params: unknown[] = [];
    let condition = where(filter, params);
    if (from.cursor) condition += ` AND (created_at, id) < ($${params.push(from.cursor.createdAt)}, $${params.push(from.cursor.id)})`;
    const offset = from.cursor ? 0 : (from.offset ?? 0);
    return (await this.db.query(
      `SELECT ${IMAGE_COLUMNS} FROM images WHERE ${condition} ORDER BY created_at DESC, id DESC LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
      params,
    )) as ImageRecord[];
  }

  /** The bytes of the owner's originals (previews not counted), for the storage quota: a sum of their image_totals rows. */
  async storedBytes(ownerId: string): Promise<number> {
    const params: unknown[] = [];
    const [row] = (await this.db.query(`SELECT coalesce(sum(bytes), 0)::float8 AS bytes FROM image_totals WHERE ${ownerCondition({ ownerId }, 'owner_id', params)}`, params)) as {
      bytes: number;
    }[];
    return row?.bytes ?? 0;
  }

  /** The filter's images, exact, from image_totals (one row per owner, source and job, kept by triggers on images): the same cost at any size. */
  async count(filter: ImageFilter): Promise<number> {
    const params: unknown[] = [];
    const [row] = (await this.db.query(`SELECT coalesce(sum(images), 0)::float8 AS n FROM image_totals WHERE ${where(filter, params)}`, params)) as { n: number }[];
    return row?.n ?? 0;
  }
}
