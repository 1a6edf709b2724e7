import { pipeline } from 'node:stream/promises';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { expressPath, ImageListQueryV1, PublicRoutes } from '@importer/contracts';
import { ApiError } from '../http/api-error.js';
import { asyncHandler } from '../http/async-handler.js';
import { singleByteRange } from '../http/byte-range.js';
import type { ConcurrencyLimit } from '../http/concurrency-limit.js';
import { publicBaseUrl as baseUrl } from '../http/public-base-url.js';
import type { OpenedObject } from './object-reader.js';
import type { ImagesService } from './images.service.js';
import { requireCaller } from '../accounts/caller.js';

/** Whose gallery: the caller's own, administrators included. */
const owner = (res: Response) => requireCaller(res).account.id;

function imageId(raw: string | undefined): string {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'image_not_found', `There is no image ${String(raw).slice(0, 64)}: image ids are UUIDs.`);
  return parsed.data;
}

const IMMUTABLE = { 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff', 'Cross-Origin-Resource-Policy': 'same-site' };

/**
 * Holds one of the bounded download slots for as long as the response is open; the storage read is aborted when the
 * client goes away, so a slow or vanished reader cannot keep a stream open.
 */
function downloadSlot(req: Request, res: Response, reads: ConcurrencyLimit): AbortSignal {
  const release = reads.tryAcquire();
  if (!release) throw new ApiError(429, 'too_many_downloads', `${reads.max} image downloads are running; try again in a moment.`, { 'Retry-After': '1' });
  const abort = new AbortController();
  res.once('close', () => {
    release();
    abort.abort();
  });
  req.once('aborted', () => abort.abort());
  return abort.signal;
}

/** Streams an object: 206 with Content-Range for a range, 200 otherwise; HEAD gets the headers only. */
async function sendObject(req: Request, res: Response, object: OpenedObject, headers: Record<string, string>): Promise<void> {
  res.status(object.contentRange ? 206 : 200).set({ ...headers, 'Accept-Ranges': 'bytes', 'Content-Length': String(object.length) });
  if (object.contentRange) res.set('Content-Range', object.contentRange);
  if (req.method === 'HEAD') {
    object.body.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(object.body, res);
  } catch {
    // The client left or storage failed mid-stream: the response is already under way, so it just ends short.
    res.destroy();
  }
}

/** The gallery: list and read images, and stream their bytes (one range, and at most `reads.max` at once). */
export function imagesRouter(images: ImagesService, reads: ConcurrencyLimit): Router {
  const router = Router();
  router.get(
    expressPath(PublicRoutes.listImages),
    asyncHandler(async (req, res) => {
      res.json(await images.list(owner(res), ImageListQueryV1.parse(req.query), baseUrl(req)));
    }),
  );
  router.get(
    expressPath(PublicRoutes.getImage),
    asyncHandler(async (req, res) => {
      res.json(await images.get(owner(res), imageId(req.params.id), baseUrl(req)));
    }),
  );
  router.get(
    expressPath(PublicRoutes.getImageContent),
    asyncHandler(async (req, res) => {
      const id = imageId(req.params.id);
      const range = singleByteRange(req.get('range'));
      const { image, object } = await images.content(owner(res), id, range, downloadSlot(req, res, reads));
      // An imported SVG is someone else's markup: sandboxed, it cannot run script or reach this origin.
      await sendObject(req, res, object, {
        ...IMMUTABLE,
        'Content-Type': image.mimeType,
        'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(image.name)}`,
      });
    }),
  );
  router.get(
    expressPath(PublicRoutes.getImageThumbnail),
    asyncHandler(async (req, res) => {
      const id = imageId(req.params.id);
      const range = singleByteRange(req.get('range'));
      const object = await images.thumbnail(owner(res), id, range, downloadSlot(req, res, reads));
      await sendObject(req, res, object, { ...IMMUTABLE, 'Content-Type': 'image/webp' });
    }),
  );
  return router;
}
