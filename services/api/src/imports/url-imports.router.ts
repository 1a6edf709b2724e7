import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import express, { type Request, Router } from 'express';
import { expressPath, ImportUrlsRequestV1, PublicRoutes, PUBLIC_JSON_MAX_BYTES, SOURCE_CATALOGUE, URL_LIST_CSV_MAX_BYTES, WebhookUrlSchema } from '@importer/contracts';
import { ApiError } from '../http/api-error.js';
import { asyncHandler } from '../http/async-handler.js';
import { csvRows, urlsFromCsv } from './csv-urls.js';
import type { ImportService } from './import.service.js';
import { requireCaller } from '../accounts/caller.js';

/** A JSON body is parsed whole in memory, so it stays small; a CSV streams (a line at a time), so only its size on the wire is capped. */
const JSON_LIMIT_BYTES = PUBLIC_JSON_MAX_BYTES;
const CSV_LIMIT_BYTES = URL_LIST_CSV_MAX_BYTES;

const WebhookParamSchema = WebhookUrlSchema.optional();

/** The JSON parser's refusal of a body over the limit, saying how to send a longer list. */
function jsonTooLarge(error: unknown): unknown {
  if ((error as { type?: string }).type !== 'entity.too.large') return error;
  return new ApiError(
    413,
    'too_large',
    `A JSON list may be at most ${JSON_LIMIT_BYTES / 1024 / 1024} MB; send a longer list as CSV (Content-Type: text/csv, or a file upload), which streams, up to ${CSV_LIMIT_BYTES / 1024 / 1024} MB.`,
  );
}

/** The CSV file of a multipart upload (the first file part, whatever its field name) and the form's webhook_url. */
/** A multipart body busboy could not read, as a 400 saying what to send. */
function malformed(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(400, 'invalid_multipart', `The upload is not a multipart form this API can read (${(error as Error).message}); send the CSV as a file field (-F file=@urls.csv).`);
}

/** The file part's bytes; a form that breaks off mid-file is the client's mistake, a 400, not a 500. */
async function* fileBytes(file: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of file) yield chunk as Buffer;
  } catch (error) {
    throw malformed(error);
  }
}

async function multipartCsv(req: Request): Promise<{ file: Readable; fields: Map<string, string> }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: CSV_LIMIT_BYTES, fields: 10 } });
  } catch (error) {
    throw malformed(error);
  }
  const fields = new Map<string, string>();
  parser.on('field', (name, value) => fields.set(name, value));
  const file = new Promise<Readable>((resolve, reject) => {
    parser.once('file', (_name, stream: Readable & { truncated?: boolean }) => {
      stream.once('limit', () => stream.destroy(new ApiError(413, 'too_large', `The CSV file is larger than ${CSV_LIMIT_BYTES / 1024 / 1024} MB.`)));
      resolve(stream);
    });
    parser.once('error', (error) => reject(malformed(error)));
    parser.once('close', () => reject(new ApiError(400, 'no_file', 'The form has no file: upload the CSV as a file field (for example -F file=@urls.csv).')));
  });
  req.pipe(parser);
  return { file: await file, fields };
}

/** Yields the byte stream, failing once more than `limit` bytes came. */
async function* capped(stream: AsyncIterable<Buffer>, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of stream) {
    seen += chunk.length;
    if (seen > limit) throw new ApiError(413, 'too_large', `The CSV is larger than ${limit / 1024 / 1024} MB.`);
    yield chunk;
  }
}

/**
 * `POST /import/urls`: a JSON `{urls, webhook_url?}`, a CSV body (`text/csv`, `webhook_url` as a query parameter), or
 * a multipart upload with the CSV as a file (`webhook_url` as a field before it, or a query parameter). Mounted before
 * the app's 1 MB JSON parser.
 */
export function urlImportsRouter(imports: ImportService): Router {
  const router = Router();
  const json = express.json({ limit: JSON_LIMIT_BYTES });
  router.post(
    expressPath(PublicRoutes[SOURCE_CATALOGUE.url.route]),
    asyncHandler(async (req, res) => {
      if (req.is('application/json')) {
        await new Promise<void>((resolve, reject) => json(req, res, (error?: unknown) => (error ? reject(jsonTooLarge(error)) : resolve())));
        const request = ImportUrlsRequestV1.parse(req.body ?? {});
        res.status(202).json(await imports.importUrls(requireCaller(res).account.id, request.urls, request.webhook_url ?? null));
        return;
      }
      if (req.is('multipart/form-data')) {
        const { file, fields } = await multipartCsv(req);
        const webhook = WebhookParamSchema.parse(fields.get('webhook_url') ?? req.query.webhook_url ?? undefined);
        res.status(202).json(await imports.importUrls(requireCaller(res).account.id, urlsFromCsv(csvRows(fileBytes(file))), webhook ?? null));
        return;
      }
      if (req.is('text/csv') || req.is('text/plain')) {
        const webhook = WebhookParamSchema.parse(typeof req.query.webhook_url === 'string' ? req.query.webhook_url : undefined);
        // Read through a pipe: a refusal mid-stream ends the pipe, not the request, whose rest the error handler drains.
        const body = req.pipe(new PassThrough());
        res.status(202).json(await imports.importUrls(requireCaller(res).account.id, urlsFromCsv(csvRows(capped(body, CSV_LIMIT_BYTES))), webhook ?? null));
        return;
      }
      throw new ApiError(415, 'unsupported_media_type', 'Send JSON {"urls": [...]}, a CSV body (Content-Type: text/csv), or a multipart upload with the CSV as a file.');
    }),
  );
  return router;
}
