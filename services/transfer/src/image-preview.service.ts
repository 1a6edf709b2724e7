import { type ImageStored, previewKey } from '@importer/contracts';
import type { ImagesRepository } from '@importer/db';
import type { Logger } from '@importer/observability';
import type { ObjectStoreBinding } from '@importer/sidecar';
import { type Preview, PreviewTimedOut, UndecodableImage } from './preview-image.js';
import type { Semaphore } from './semaphore.js';

export interface ImagePreviewDependencies {
  /** Reads an original back from storage (the S3 binding's `get`). */
  read(key: string): Promise<Buffer>;
  /** Makes the preview; throws UndecodableImage for bytes that are no image it can read, PreviewTimedOut for one that renders too slowly. */
  render(original: Buffer): Promise<Preview>;
  binding: Pick<ObjectStoreBinding, 'put'>;
  images: Pick<ImagesRepository, 'find' | 'setPreview'>;
  /** Its own small concurrency, apart from the transfers', so previews never slow an import down much. */
  limiter: Semaphore;
  /** Originals larger than this get no preview (they would not come back through the binding in one piece). */
  maxBytes: number;
  log: Logger;
}

/**
 * Makes the preview of each image-stored, beside the original in S3, and records it on the image. An image that
 * cannot be decoded, or takes longer than the renderer allows, gets no preview (the gallery shows the original) and
 * is not retried; a storage or database failure is thrown, so the message is redelivered.
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
      let preview: Preview;
      try {
        preview = await this.deps.render(original);
      } catch (error) {
        if (error instanceof PreviewTimedOut) {
          log.warn('no preview: the image takes too long to render', { mimeType: event.mimeType, size: event.size, error: error.message });
          return;
        }
        if (!(error instanceof UndecodableImage)) throw error;
        log.warn('no preview: the image cannot be decoded', { mimeType: event.mimeType, error: error.message });
        return;
      }
      const key = previewKey(event.storagePath);
      await this.deps.binding.put(key, preview.bytes, 'image/webp');
      await this.deps.images.setPreview(event.imageId, { path: key, width: preview.width, height: preview.height }, preview.original);
      log.debug('preview made', { bytes: preview.bytes.length, width: preview.width, height: preview.height });
    });
  }
}
