import { PREVIEW_LONG_SIDE, PREVIEW_QUALITY } from '@importer/contracts';
import sharp from 'sharp';

/** A preview and the original's upright dimensions, read while decoding it. */
export interface Preview {
  bytes: Buffer;
  width: number;
  height: number;
  original: { width: number | null; height: number | null };
}

/** The bytes are no image the preview maker can read: not worth another attempt. */
export class UndecodableImage extends Error {
  override readonly name = 'UndecodableImage';
}

/** Rendering took longer than the renderer allows: the image keeps no preview, and another attempt would take as long. */
export class PreviewTimedOut extends Error {
  override readonly name = 'PreviewTimedOut';
}

/** The preview of an image: WebP, PREVIEW_LONG_SIDE px on its long side at most, turned upright by its EXIF orientation. */
export async function makePreview(original: Buffer): Promise<Preview> {
  try {
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
  } catch (error) {
    throw new UndecodableImage(error instanceof Error ? error.message : String(error));
  }
}
