import type { Image, ImageList, ImageListQuery } from '@importer/contracts';
import type { ImageRecord, ImagesRepository } from '@importer/db';
import { ApiError } from '../http/api-error.js';
import { decodeCursor, encodeCursor } from '../http/keyset-cursor.js';
import type { ObjectReader, OpenedObject } from './object-reader.js';

/** Rows a numbered page may skip: past this, OFFSET costs a scan of everything before it, so `cursor` is the way on. */
export const MAX_PAGE_OFFSET = 10_000;

/** Reads one owner's gallery; `baseUrl` is where clients reach this API, for the image URLs. Another owner's image is a 404. */
export class ImagesService {
  constructor(
    private readonly images: Pick<ImagesRepository, 'findOwned' | 'page' | 'count'>,
    private readonly objects: ObjectReader,
  ) {}

  async list(ownerId: string, query: ImageListQuery, baseUrl: string): Promise<ImageList> {
    if (query.cursor && query.page) throw new ApiError(400, 'invalid_request', 'Give either cursor or page, not both.');
    const filter = { ownerId, ...(query.source ? { source: query.source } : {}), ...(query.job_id ? { jobId: query.job_id } : {}) };
    const offset = ((query.page ?? 1) - 1) * query.limit;
    if (offset > MAX_PAGE_OFFSET) {
      throw new ApiError(400, 'page_too_deep', `page × limit may skip at most ${MAX_PAGE_OFFSET} images; follow next_cursor to go further.`);
    }
    const from = query.cursor ? { cursor: decodeCursor(query.cursor) } : { offset };
    const [rows, total] = await Promise.all([this.images.page(filter, query.limit + 1, from), this.images.count(filter)]);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      images: page.map((row) => toImage(row, baseUrl)),
      next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      total,
    };
  }

  async get(ownerId: string, id: string, baseUrl: string): Promise<Image> {
    return toImage(await this.require(ownerId, id), baseUrl);
  }

  /** The image's bytes as they stream from storage (`range`: one validated byte range, or the whole image). */
  async content(ownerId: string, id: string, range: string | undefined, signal: AbortSignal): Promise<{ image: ImageRecord; object: OpenedObject }> {
    const image = await this.require(ownerId, id);
    return { image, object: await this.objects.open(image.storagePath, range, signal) };
  }

  /** The WebP preview; 404 while it is not made (thumbnail_url then points at the original). */
  async thumbnail(ownerId: string, id: string, range: string | undefined, signal: AbortSignal): Promise<OpenedObject> {
    const image = await this.require(ownerId, id);
    if (!image.previewPath) throw new ApiError(404, 'preview_not_found', `Image ${id} has no preview (yet): use its url.`);
    return this.objects.open(image.previewPath, range, signal);
  }

  private async require(ownerId: string, id: string): Promise<ImageRecord> {
    const image = await this.images.findOwned(id, ownerId);
    if (!image) throw new ApiError(404, 'image_not_found', `There is no image ${id}.`);
    return image;
  }
}

function toImage(row: ImageRecord, baseUrl: string): Image {
  const url = `${baseUrl}/images/${row.id}/content`;
  return {
    id: row.id,
    name: row.name,
    google_drive_id: row.googleDriveId,
    source: row.source as Image['source'],
    source_file_id: row.sourceFileId,
    size: row.size,
    mime_type: row.mimeType,
    storage_path: row.storagePath,
    url,
    thumbnail_url: row.previewPath ? `${baseUrl}/images/${row.id}/thumbnail` : url,
    width: row.width,
    height: row.height,
    job_id: row.jobId,
    created_at: row.createdAt.toISOString(),
  };
}
