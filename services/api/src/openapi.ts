import { z } from 'zod';
import {
  PublicRoutes,
  type PublicRouteName,
  ErrorResponseV1,
  ImageListV1,
  ImageV1,
  ImportAcceptedV1,
  ImportFolderRequestV1,
  ImportUrlsAcceptedV1,
  ImportUrlsRequestV1,
  JobDetailV1,
  JobFilesV1,
  JobFinishedWebhookV1,
  JobListV1,
  JobSummaryV1,
} from '@importer/contracts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const error = (description: string) => ({ description, ...json('ErrorResponse') });
const uuidParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const tooMany = () => ({ description: 'Too many downloads at once; try again after Retry-After', ...json('ErrorResponse') });
const ranged = (description: string, type: string) => ({
  200: { description, content: { [type]: {} } },
  206: { description: 'The one byte range asked for (Range: bytes=…)', content: { [type]: {} } },
});

/** The document's paths, one operation per route of the public table, so the table and the document cannot drift. */
function paths(operations: Record<PublicRouteName, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(PublicRoutes) as [PublicRouteName, (typeof PublicRoutes)[PublicRouteName]][]) {
    out[route.path] = { ...out[route.path], [route.method.toLowerCase()]: operations[name] };
  }
  return out;
}

/** Every operation of the public route table, by route name: TypeScript refuses a missing or an extra one. */
const OPERATIONS: Record<PublicRouteName, Record<string, unknown>> = {
    importGoogleDrive: {
      summary: 'Import a public Google Drive folder',
      requestBody: { required: true, ...json('ImportFolderRequest') },
      responses: {
        202: { description: 'The job was created and listing started', ...json('ImportAccepted') },
        400: error('Not a folder link, or a malformed body'),
        404: error('The folder does not exist or is not shared publicly'),
        501: error('Google Drive is not set up on this server'),
        503: error('Google Drive is not answering; try again after Retry-After'),
      },
    },
    importDropbox: {
      summary: 'Import a Dropbox shared folder (any link form: /scl/fo/…?rlkey=…, legacy /sh/…, dl= and st= variants)',
      requestBody: { required: true, ...json('ImportFolderRequest') },
      responses: {
        202: { description: 'The job was created and listing started', ...json('ImportAccepted') },
        400: error('Not a shared-folder link (a single file, another site, an rlkey missing), or a malformed body'),
        403: error('The link exists but does not let this server read the folder (an rlkey of another link, a password, a team-only link)'),
        404: error('The shared link does not exist or no longer grants access'),
        501: error('Dropbox is not set up on this server (no DROPBOX_ACCESS_TOKEN or DROPBOX_APP_KEY/SECRET)'),
        502: error('Dropbox refused the request (credentials, access denied)'),
        503: error('Dropbox is not answering or rate-limits; try again after Retry-After'),
      },
    },
    importUrls: {
      summary: 'Import a list of image URLs: JSON, a CSV body, or a CSV file upload (up to 100,000 lines, header optional)',
      description:
        'Each URL gets its own outcome: imported, failed with a reason (http_404, not_an_image, blocked_address, too_large, ...) or skipped (invalid_url). ' +
        'Private, loopback and link-local addresses are refused after DNS resolution and on every redirect, unless the host is in URL_IMPORT_ALLOWED_HOSTS. ' +
        'With a CSV, webhook_url is a form field before the file, or a query parameter.',
      parameters: [{ name: 'webhook_url', in: 'query', required: false, schema: { type: 'string', format: 'uri' } }],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/ImportUrlsRequest' } },
          'text/csv': { schema: { type: 'string' } },
          'multipart/form-data': {
            schema: { type: 'object', properties: { webhook_url: { type: 'string', format: 'uri' }, file: { type: 'string', format: 'binary' } }, required: ['file'] },
          },
        },
      },
      responses: {
        202: { description: 'The job was created', ...json('ImportUrlsAccepted') },
        400: error('No URLs, or a malformed body'),
        413: error('More than 100,000 URLs, a JSON body over 1 MB, a CSV over 64 MB, or a CSV line over 8,192 characters'),
        415: error('Neither JSON, CSV nor a multipart upload'),
        501: error('webhook_url given but no WEBHOOK_SECRET is configured'),
      },
    },
    listJobs: {
      summary: 'List jobs, newest first',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      responses: { 200: { description: 'A page of jobs', ...json('JobList') }, 400: error('A cursor this API did not hand out') },
    },
    getJob: {
      summary: 'A job: status, counts, progress and the first failed files with their reasons',
      parameters: [uuidParam('job_id')],
      responses: { 200: { description: 'The job', ...json('JobDetail') }, 404: error('No such job') },
    },
    listJobFiles: {
      summary: "Every file of a job with its status and reason (for a URL list, every URL's outcome), in the order found",
      parameters: [
        uuidParam('job_id'),
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['pending', 'done', 'failed', 'skipped'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      responses: { 200: { description: 'A page of files', ...json('JobFiles') }, 400: error('Bad status or cursor'), 404: error('No such job') },
    },
    cancelJob: {
      summary: 'Cancel a job that has not ended',
      parameters: [uuidParam('job_id')],
      responses: { 200: { description: 'Cancelled', ...json('JobSummary') }, 404: error('No such job'), 409: error('The job has already ended') },
    },
    retryJob: {
      summary: 'Retry the failed files of a job that completed with errors',
      parameters: [uuidParam('job_id')],
      responses: { 202: { description: 'Retrying', ...json('JobSummary') }, 404: error('No such job'), 409: error('Nothing to retry') },
    },
    listImages: {
      summary: 'List images, newest first (keyset pages through cursor, or numbered pages)',
      parameters: [
        { name: 'source', in: 'query', schema: { type: 'string', enum: ['google_drive', 'dropbox', 'url'] } },
        { name: 'job_id', in: 'query', schema: { type: 'string', format: 'uuid' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
      ],
      responses: { 200: { description: 'A page of images', ...json('ImageList') }, 400: error('Bad filters or cursor, or page × limit past 10,000 (follow next_cursor)') },
    },
    getImage: { summary: 'One image', parameters: [uuidParam('id')], responses: { 200: { description: 'The image', ...json('Image') }, 404: error('No such image') } },
    getImageContent: {
      summary: "The image's bytes, streamed (sandboxed: an SVG cannot run script); one byte range (Range: bytes=…) is served as 206",
      parameters: [uuidParam('id')],
      responses: { ...ranged('The image', 'image/*'), 404: error('No such image'), 416: error('The range is outside the image'), 429: tooMany() },
    },
    getImageThumbnail: {
      summary: "The image's WebP preview (400 px on the long side); thumbnail_url points here once it is made",
      parameters: [uuidParam('id')],
      responses: { ...ranged('The preview', 'image/webp'), 404: error('No such image, or no preview yet'), 416: error('The range is outside the preview'), 429: tooMany() },
    },
    health: { summary: 'Liveness', responses: { 200: { description: 'The process runs' } } },
    openApi: { summary: 'This document', responses: { 200: { description: 'The OpenAPI 3.1 description of the public API' } } },
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that check every request and response. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Image importer API', version: '1.0.0', description: 'Imports every image of a Google Drive folder, a Dropbox shared folder or a list of URLs into S3 with its metadata.' },
    paths: paths(OPERATIONS),
    webhooks: {
      'import.job.finished': {
        post: {
          summary: "Sent once to a job's webhook_url when the job ends; retried with backoff until a 2xx",
          description:
            'Standard Webhooks (https://www.standardwebhooks.com/): webhook-id: msg_<job id> (the same on every retry); webhook-timestamp: <unix seconds of the attempt>; ' +
            'webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">, keyed with the job\'s webhook_secret from its 202. ' +
            'The URL is guarded like URL imports and redirects are not followed.',
          requestBody: { required: true, ...json('JobFinishedWebhook') },
          responses: { 200: { description: 'Any 2xx ends the deliveries; 5xx, 408, 429 or no answer are retried' } },
        },
      },
    },
    components: {
      schemas: {
        ImportFolderRequest: z.toJSONSchema(ImportFolderRequestV1, { io: 'input', unrepresentable: 'any' }),
        ImportAccepted: schema(ImportAcceptedV1),
        ImportUrlsRequest: z.toJSONSchema(ImportUrlsRequestV1, { io: 'input', unrepresentable: 'any' }),
        ImportUrlsAccepted: schema(ImportUrlsAcceptedV1),
        JobFinishedWebhook: schema(JobFinishedWebhookV1),
        JobFiles: schema(JobFilesV1),
        JobSummary: schema(JobSummaryV1),
        JobDetail: schema(JobDetailV1),
        JobList: schema(JobListV1),
        Image: schema(ImageV1),
        ImageList: schema(ImageListV1),
        ErrorResponse: schema(ErrorResponseV1),
      },
    },
  };
}
