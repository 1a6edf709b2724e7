import { z } from 'zod';
import { SourceKindSchema } from './source-file.js';
import { defineTopic } from './topic.js';

/** Previews: WebP, this many pixels on the long side at most, at this quality. */
export const PREVIEW_LONG_SIDE = 400;
export const PREVIEW_QUALITY = 50;

/** The object key of an image's preview: beside the original, never built from a user-given name. */
export function previewKey(storagePath: string): string {
  return `${storagePath}.preview.webp`;
}

/** An image has just been stored (new or rewritten): a preview is to be made, apart from the transfer. */
export const ImageStoredV1 = z.object({
  imageId: z.uuid(),
  source: SourceKindSchema,
  storagePath: z.string().min(1),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
});
export const imageStoredTopic = defineTopic('image-stored', ImageStoredV1);
export type ImageStored = z.infer<typeof ImageStoredV1>;
