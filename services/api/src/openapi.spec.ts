import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PublicRoutes } from '@importer/contracts';
import { openApiDocument } from './openapi.js';

test('the OpenAPI document describes every import endpoint, the thumbnail and the completion webhook, from the zod schemas', () => {
  const doc = openApiDocument() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    webhooks: Record<string, unknown>;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };
  for (const path of ['/import/google-drive', '/import/dropbox', '/import/urls', '/import/jobs/{job_id}/files', '/images/{id}/thumbnail']) assert.ok(doc.paths[path], path);
  assert.deepEqual(Object.keys(doc.paths['/import/urls']?.post?.requestBody?.content ?? {}), ['application/json', 'text/csv', 'multipart/form-data']);
  const urls = doc.components.schemas.ImportUrlsRequest;
  assert.deepEqual(urls?.required, ['urls']);
  assert.ok(urls?.properties?.webhook_url);
  assert.ok(doc.components.schemas.ImportUrlsAccepted?.properties?.urls_received);
  assert.ok(doc.webhooks['import.job.finished']);
  assert.ok(doc.components.schemas.JobFinishedWebhook?.properties?.job);
});

test('the document lists exactly the public route table: every route, and nothing the gateway would not forward', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  const table = Object.values(PublicRoutes).map((route) => `${route.method} ${route.path}`);
  assert.deepEqual(documented.sort(), table.sort());
});
