import sharp from 'sharp';
import { makePreview, UndecodableImage } from './preview-image.js';
import type { RenderReply, RenderRequest } from './preview-renderer.js';

// The child process of PreviewRenderer: one image per message, at the priority the parent gave it, on one libvips thread.
sharp.concurrency(1);

process.on('message', (request: RenderRequest) => {
  makePreview(Buffer.from(request.original)).then(
    (preview) => process.send?.({ id: request.id, ok: true, preview } satisfies RenderReply),
    (error: unknown) =>
      process.send?.({
        id: request.id,
        ok: false,
        undecodable: error instanceof UndecodableImage,
        message: error instanceof Error ? error.message : String(error),
      } satisfies RenderReply),
  );
});
process.on('disconnect', () => process.exit(0));
