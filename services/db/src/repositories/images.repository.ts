import type { DataSource } from 'typeorm';

export interface NewImage {
  id: string;
  source: string;
  sourceFileId: string;
  jobId: string;
  name: string;
  mimeType: string;
  size: number;
  storagePath: string;
  md5: string | null;
  width: number | null;
  height: number | null;
}

/** An image already imported, as much as the transfer needs to decide whether to fetch it again. */
export interface StoredImage {
  id: string;
  md5: string | null;
  size: number;
}

/** The `images` table: one row per image, unique on (source, source file id). */
export class ImagesRepository {
  constructor(private readonly db: DataSource) {}

  async findBySourceFile(source: string, sourceFileId: string): Promise<StoredImage | undefined> {
    const [row] = (await this.db.query(`SELECT id, md5, size::float8 AS size FROM images WHERE source = $1 AND source_file_id = $2`, [
      source,
      sourceFileId,
    ])) as StoredImage[];
    return row;
  }

  /** Inserts the image, or updates the row a concurrent or earlier transfer wrote; returns the row's id. */
  async upsert(image: NewImage): Promise<string> {
    const [row] = (await this.db.query(
      `INSERT INTO images (id, source, source_file_id, google_drive_id, job_id, name, mime_type, size, storage_path, md5, width, height)
       VALUES ($1, $2, $3, CASE WHEN $2 = 'google_drive' THEN $3 END, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (source, source_file_id) DO UPDATE SET
         name = EXCLUDED.name, mime_type = EXCLUDED.mime_type, size = EXCLUDED.size, storage_path = EXCLUDED.storage_path,
         md5 = EXCLUDED.md5, width = EXCLUDED.width, height = EXCLUDED.height
       RETURNING id`,
      [image.id, image.source, image.sourceFileId, image.jobId, image.name, image.mimeType, image.size, image.storagePath, image.md5, image.width, image.height],
    )) as { id: string }[];
    if (!row) throw new Error(`upserting image ${image.source}/${image.sourceFileId} returned no row`);
    return row.id;
  }
}
