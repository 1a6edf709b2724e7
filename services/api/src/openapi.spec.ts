import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FOLDER_LINK_SOURCES, type FolderLinkSourceEntry, ImageListQueryV1, JobFilesQueryV1, JobListQueryV1, PublicRoutes, type PublicRouteName, SOURCE_ENTRIES, WebhookHeader } from '@importer/contracts';
import { openApiDocument } from './openapi.js';

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  additionalProperties?: unknown;
}

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }>;
}

interface Document {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const doc = JSON.parse(JSON.stringify(openApiDocument())) as Document;
const operation = (name: PublicRouteName): Operation => {
  const route = PublicRoutes[name];
  const found = doc.paths[route.path]?.[route.method.toLowerCase()];
  assert.ok(found, name);
  return found;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

test('the OpenAPI document describes every import endpoint, the thumbnail and the completion webhook, from the zod schemas', () => {
  for (const path of ['/import/google-drive', '/import/dropbox', '/import/urls', '/import/jobs/{job_id}/files', '/images/{id}/thumbnail']) assert.ok(doc.paths[path], path);
  assert.deepEqual(Object.keys(operation('importUrls').requestBody?.content ?? {}), ['application/json', 'text/csv', 'multipart/form-data']);
  const urls = doc.components.schemas.ImportUrlsRequest;
  assert.deepEqual(urls?.required, ['urls']);
  assert.equal(urls?.properties?.webhook_url?.format, 'uri', "a pipe's output format is shown on its input");
  assert.ok(doc.components.schemas.ImportUrlsAccepted?.properties?.urls_received);
  assert.ok(doc.webhooks['import.job.finished']);
  assert.deepEqual(doc.components.schemas.JobFinishedWebhook?.properties?.job, ref('JobSummary'));
});

test('the document lists exactly the public route table, each operation named by its route', () => {
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${op.operationId} ${method.toUpperCase()} ${path}`));
  const table = Object.entries(PublicRoutes).map(([name, route]) => `${name} ${route.method} ${route.path}`);
  assert.deepEqual(documented.sort(), table.sort());
});

test('every $ref points at a component, every component is used, and each schema is one component (no input/output twins)', () => {
  const refs = new Set<string>();
  (function collect(value: unknown) {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string') refs.add(inner);
        else collect(inner);
      }
    }
  })({ paths: doc.paths, webhooks: doc.webhooks, components: doc.components });
  const components = Object.keys(doc.components.schemas).map((name) => `#/components/schemas/${name}`);
  assert.deepEqual([...refs].sort(), components.sort());
  assert.deepEqual(
    Object.keys(doc.components.schemas).filter((name) => name.endsWith('Output')),
    [],
  );
});

test('request bodies, answers and webhook payloads are the contracts’ components; answers are open to new fields', () => {
  for (const name of ['importGoogleDrive', 'importDropbox'] as const) {
    assert.deepEqual(operation(name).requestBody?.content['application/json']?.schema, ref('ImportFolderRequest'));
    assert.deepEqual(operation(name).responses['202']?.content?.['application/json']?.schema, ref('ImportAccepted'));
  }
  assert.deepEqual(operation('importUrls').requestBody?.content['application/json']?.schema, ref('ImportUrlsRequest'));
  const answers: [PublicRouteName, string, string][] = [
    ['importUrls', '202', 'ImportUrlsAccepted'],
    ['listJobs', '200', 'JobList'],
    ['getJob', '200', 'JobDetail'],
    ['listJobFiles', '200', 'JobFiles'],
    ['cancelJob', '200', 'JobSummary'],
    ['retryJob', '202', 'JobSummary'],
    ['listImages', '200', 'ImageList'],
    ['getImage', '200', 'Image'],
  ];
  for (const [name, status, component] of answers) assert.deepEqual(operation(name).responses[status]?.content?.['application/json']?.schema, ref(component), name);
  assert.deepEqual(doc.components.schemas.JobList?.properties?.jobs?.items, ref('JobSummary'));
  assert.deepEqual(doc.components.schemas.ImageList?.properties?.images?.items, ref('Image'));
  assert.deepEqual(doc.webhooks['import.job.finished']?.post?.requestBody?.content['application/json']?.schema, ref('JobFinishedWebhook'));
  assert.equal(doc.components.schemas.ImportFolderRequest?.required?.includes('recursive'), false, 'a request field with a default is optional');
  assert.ok(doc.components.schemas.JobSummary?.required?.includes('finished_at'), 'an answer field is always there');
  for (const [name, schema] of Object.entries(doc.components.schemas)) assert.equal(schema.additionalProperties, undefined, name);
});

test('query parameters are the query schemas the routers parse; every path parameter is a required UUID', () => {
  const queryNames = (name: PublicRouteName) => (operation(name).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  assert.deepEqual(queryNames('listImages'), Object.keys(ImageListQueryV1.shape));
  assert.deepEqual(queryNames('listJobFiles'), Object.keys(JobFilesQueryV1.shape));
  assert.deepEqual(queryNames('listJobs'), Object.keys(JobListQueryV1.shape));
  assert.deepEqual(queryNames('importUrls'), ['webhook_url']);
  for (const [name, route] of Object.entries(PublicRoutes) as [PublicRouteName, (typeof PublicRoutes)[PublicRouteName]][]) {
    const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, parameter]) => parameter);
    const documented = (operation(name).parameters ?? []).filter((p) => p.in === 'path');
    assert.deepEqual(documented.map((p) => p.name), inPath, name);
    for (const p of documented) {
      assert.equal(p.required, true, `${name} ${p.name}`);
      assert.equal(p.schema.format, 'uuid', `${name} ${p.name}`);
    }
  }
});

test('each route keeps every status it can answer, each error with a description and the error shape', () => {
  const folder = ['202', '400', '401', '403', '404', '413', '429', '500', '501', '502', '503'];
  const bytes = ['200', '206', '401', '404', '416', '429', '500'];
  const expected: Record<PublicRouteName, string[]> = {
    ...(Object.fromEntries(FOLDER_LINK_SOURCES.map(({ route }) => [route, folder])) as Record<FolderLinkSourceEntry['route'], string[]>),
    importUrls: ['202', '400', '401', '413', '415', '429', '500', '501'],
    listJobs: ['200', '400', '401', '500'],
    getJob: ['200', '401', '404', '500'],
    listJobFiles: ['200', '400', '401', '404', '500'],
    cancelJob: ['200', '401', '404', '409', '500'],
    retryJob: ['202', '401', '404', '409', '500'],
    listImages: ['200', '400', '401', '500'],
    getImage: ['200', '401', '404', '500'],
    getImageContent: bytes,
    getImageThumbnail: bytes,
    authStatus: ['200'],
    setup: ['201', '400', '409', '429', '500'],
    signIn: ['200', '401', '403', '429', '500'],
    signUp: ['201', '400', '403', '409', '429', '500'],
    signOut: ['204'],
    oidcStart: ['302', '404', '500'],
    oidcCallback: ['302', '404', '500'],
    getAccount: ['200', '401', '500'],
    changePassword: ['200', '400', '401', '500'],
    listApiKeys: ['200', '401'],
    createApiKey: ['201', '400', '401', '500'],
    revokeApiKey: ['204', '401', '404', '500'],
    getWebhookSecret: ['200', '401', '500', '501'],
    rotateWebhookSecret: ['200', '401', '500', '501'],
    listUsers: ['200', '401', '404', '500'],
    createUser: ['201', '400', '401', '404', '409', '500'],
    disableUser: ['200', '401', '404', '409', '500'],
    enableUser: ['200', '401', '404', '500'],
    health: ['200'],
    openApi: ['200'],
  };
  for (const [name, statuses] of Object.entries(expected) as [PublicRouteName, string[]][]) {
    const responses = operation(name).responses;
    assert.deepEqual(Object.keys(responses), statuses, name);
    for (const [status, response] of Object.entries(responses)) {
      assert.ok(response.description.trim(), `${name} ${status}`);
      if (Number(status) < 400) continue;
      assert.deepEqual(response.content?.['application/json']?.schema, ref('ErrorResponse'), `${name} ${status}`);
      if (status === '429' || status === '503') assert.ok(response.headers?.['Retry-After'], `${name} ${status} says when to come back`);
    }
  }
});

test("every source's import is documented at its catalogue route, with its summary and each error its entry lists", () => {
  for (const { kind, route, importDoc } of SOURCE_ENTRIES) {
    const documented = operation(route) as Operation & { summary?: string; description?: string };
    assert.equal(documented.summary, importDoc.summary, kind);
    assert.equal(documented.description, importDoc.description, kind);
    for (const [status, description] of Object.entries(importDoc.errors)) {
      assert.ok(documented.responses[status]?.description.startsWith(description), `${kind} ${status}`);
    }
    assert.match(documented.responses['501']?.description ?? '', /webhook_url is given but no WEBHOOK_SECRET/, `${kind}: an import without a signing secret refuses a webhook`);
  }
});

test('the webhook lists the Standard Webhooks headers by their contract names', () => {
  const hook = doc.webhooks['import.job.finished']?.post;
  assert.deepEqual(
    (hook?.parameters ?? []).map((p) => `${p.in} ${p.name} ${p.required}`),
    Object.values(WebhookHeader).map((name) => `header ${name} true`),
  );
});

test('the server is wherever the document was fetched from: /api through the gateway, / on the api port', () => {
  assert.equal(new URL(doc.servers[0]?.url ?? '', 'http://localhost:8080/api/openapi.json').href, 'http://localhost:8080/api/');
  assert.equal(new URL(doc.servers[0]?.url ?? '', 'http://127.0.0.1:3000/openapi.json').href, 'http://127.0.0.1:3000/');
});
