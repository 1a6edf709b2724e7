import { z } from 'zod';
import {
  ErrorResponseV1,
  ImageListV1,
  ImageV1,
  ImportAcceptedV1,
  ImportFolderRequestV1,
  JobDetailV1,
  JobListV1,
  JobSummaryV1,
} from '@importer/contracts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const error = (description: string) => ({ description, ...json('ErrorResponse') });
const uuidParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });

/** The OpenAPI 3.1 document, generated from the same zod schemas that check every request and response. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Image importer API', version: '1.0.0', description: 'Imports every image of a Google Drive folder into S3 with its metadata.' },
    paths: {
      '/import/google-drive': {
        post: {
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
      },
      '/import/jobs': {
        get: {
          summary: 'List jobs, newest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'A page of jobs', ...json('JobList') }, 400: error('A cursor this API did not hand out') },
        },
      },
      '/import/jobs/{job_id}': {
        get: {
          summary: 'A job: status, counts, progress and the first failed files with their reasons',
          parameters: [uuidParam('job_id')],
          responses: { 200: { description: 'The job', ...json('JobDetail') }, 404: error('No such job') },
        },
      },
      '/import/jobs/{job_id}/cancel': {
        post: {
          summary: 'Cancel a job that has not ended',
          parameters: [uuidParam('job_id')],
          responses: { 200: { description: 'Cancelled', ...json('JobSummary') }, 404: error('No such job'), 409: error('The job has already ended') },
        },
      },
      '/import/jobs/{job_id}/retry': {
        post: {
          summary: 'Retry the failed files of a job that completed with errors',
          parameters: [uuidParam('job_id')],
          responses: { 202: { description: 'Retrying', ...json('JobSummary') }, 404: error('No such job'), 409: error('Nothing to retry') },
        },
      },
      '/images': {
        get: {
          summary: 'List images, newest first (keyset pages through cursor, or numbered pages)',
          parameters: [
            { name: 'source', in: 'query', schema: { type: 'string', enum: ['google_drive', 'dropbox', 'url'] } },
            { name: 'job_id', in: 'query', schema: { type: 'string', format: 'uuid' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: { 200: { description: 'A page of images', ...json('ImageList') }, 400: error('Bad filters or cursor') },
        },
      },
      '/images/{id}': {
        get: { summary: 'One image', parameters: [uuidParam('id')], responses: { 200: { description: 'The image', ...json('Image') }, 404: error('No such image') } },
      },
      '/images/{id}/content': {
        get: {
          summary: "The image's bytes (sandboxed: an SVG cannot run script)",
          parameters: [uuidParam('id')],
          responses: { 200: { description: 'The image', content: { 'image/*': {} } }, 404: error('No such image') },
        },
      },
      '/health': { get: { summary: 'Liveness', responses: { 200: { description: 'The process runs' } } } },
      '/ready': { get: { summary: 'Readiness: database and sidecar', responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready, with the failing checks' } } } },
    },
    components: {
      schemas: {
        ImportFolderRequest: z.toJSONSchema(ImportFolderRequestV1, { io: 'input', unrepresentable: 'any' }),
        ImportAccepted: schema(ImportAcceptedV1),
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
