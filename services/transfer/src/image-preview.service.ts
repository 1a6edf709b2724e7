import { type ImageStored, PREVIEW_LONG_SIDE, PREVIEW_QUALITY, previewKey } from '@importer/contracts';
import type { ImagesRepository } from '@importer/db';
import type { Logger } from '@importer/observability';
import type { ObjectStoreBinding } from '@importer/sidecar';
import sharp from 'sharp';
import type { Semaphore } from './semaphore.js';

export interface ImagePreviewDependencies {
  /** Reads an original back from storage (the S3 binding's `get`). */
  read(key: string): Promise<Buffer>;
  binding: Pick<ObjectStoreBinding, 'put'>;
  images: Pick<ImagesRepository, 'find' | 'setPreview'>;
  /** Its own small concurrency, apart from the transfers', so previews never slow an import down much. */
  limiter: Semaphore;
  /** Originals larger than this get no preview (they would not come back through the binding in one piece). */
  maxBytes: number;
  log: Logger;
}

/** The preview of an image: WebP, PREVIEW_LONG_SIDE px on its long side at most, turned upright by its EXIF orientation. */
export async function makePreview(original: Buffer): Promise<{ bytes: Buffer; width: number; height: number; original: { width: number | null; height: number | null } }> {
  // 100 megapixels at most: a larger "image" is more likely a decompression bomb than a photo.
  const image = sharp(original, { limitInputPixels: 100_000_000, failOn: 'error' });
  const meta = await image.metadata();
  const { data, info } = await image
    .rotate()
    .resize(PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: PREVIEW_QUALITY })
    .toBuffer({ resolveWithObject: true });
  const upright = (meta.orientation ?? 1) >= 5;
  return {
    bytes: data,
    width: info.width,
    height: info.height,
    original: { width: (upright ? meta.height : meta.width) ?? null, height: (upright ? meta.width : meta.height) ?? null },
  };
}

/**
 * Makes the preview of each image-stored, beside the original in S3, and records it on the image. An image that
 * cannot be decoded gets no preview (the gallery shows the original) and is not retried; a storage or database
 * failure is thrown, so the message is redelivered.
 */
export class ImagePreviewService {
  constructor(private readonly deps: ImagePreviewDependencies) {}

  async handle(event: ImageStored): Promise<void> {
    const log = this.deps.log.child({ imageId: event.imageId });
    if (event.size > this.deps.maxBytes) {
      log.info('no preview: the original is larger than the binding carries', { size: event.size });
      return;
    }
    await this.deps.limiter.run(async () => {
      // A message outlives its image (a deleted job, another deployment's queue): reading a missing object would
      // fail every redelivery and trip the storage circuit breaker that the transfers share.
      const image = await this.deps.images.find(event.imageId);
      if (!image || image.storagePath !== event.storagePath) {
        log.info('no preview: the image is not in this gallery', { storagePath: event.storagePath });
        return;
      }
      const original = await this.deps.read(event.storagePath);
      let preview: Awaited<ReturnType<typeof makePreview>>;
      try {
        preview = await makePreview(original);
      } catch (error) {
        log.warn('no preview: the image cannot be decoded', { mimeType: event.mimeType, error: error instanceof Error ? error.message : String(error) });
        return;
      }
      const key = previewKey(event.storagePath);
      await this.deps.binding.put(key, preview.bytes, 'image/webp');
      await this.deps.images.setPreview(event.imageId, { path: key, width: preview.width, height: preview.height }, preview.original);
      log.debug('preview made', { bytes: preview.bytes.length, width: preview.width, height: preview.height });
    });
  }
}
