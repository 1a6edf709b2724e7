import { Router } from 'express';
import { z } from 'zod';
import { ImageListQueryV1 } from '@importer/contracts';
import { ApiError } from '../http/api-error.js';
import { asyncHandler } from '../http/async-handler.js';
import { publicBaseUrl as baseUrl } from '../http/public-base-url.js';
import type { ImagesService } from './images.service.js';

function imageId(raw: string | undefined): string {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'image_not_found', `There is no image ${raw}: image ids are UUIDs.`);
  return parsed.data;
}

/** The gallery: list and read images, and serve their bytes. */
export function imagesRouter(images: ImagesService): Router {
  const router = Router();
  router.get(
    '/images',
    asyncHandler(async (req, res) => {
      res.json(await images.list(ImageListQueryV1.parse(req.query), baseUrl(req)));
    }),
  );
  router.get(
    '/images/:id',
    asyncHandler(async (req, res) => {
      res.json(await images.get(imageId(req.params.id), baseUrl(req)));
    }),
  );
  router.get(
    '/images/:id/content',
    asyncHandler(async (req, res) => {
      const { bytes, mimeType, name } = await images.content(imageId(req.params.id));
      // An imported SVG is someone else's markup: sandboxed, it cannot run script or reach this origin.
      res
        .set({
          'Content-Type': mimeType,
          'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Resource-Policy': 'same-site',
          'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
          'Cache-Control': 'public, max-age=31536000, immutable',
        })
        .send(bytes);
    }),
  );
  router.get(
    '/images/:id/thumbnail',
    asyncHandler(async (req, res) => {
      const { bytes } = await images.thumbnail(imageId(req.params.id));
      res
        .set({
          'Content-Type': 'image/webp',
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Resource-Policy': 'same-site',
          'Cache-Control': 'public, max-age=31536000, immutable',
        })
        .send(bytes);
    }),
  );
  return router;
}
