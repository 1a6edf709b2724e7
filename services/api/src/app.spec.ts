import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type express from 'express';
import type { z } from 'zod';
import { expressPath, FOLDER_LINK_SOURCES, type FolderLinkSourceEntry, type PublicRoute, type PublicRouteName } from '@importer/contracts';
import { createLogger } from '@importer/observability';
import { addFallbacks, buildApp } from './app.js';
import { READINESS_PATH } from './health.router.js';
import { DOCUMENTED_SCHEMAS, openApiDocument } from './openapi.js';
import { FAKE_ADMIN, FAKE_API_KEY, FAKE_IMAGE_ID, FAKE_JOB_ID, FAKE_SPARE_KEY_ID, FAKE_OTHER_USER_ID, fakeApiDependencies } from './test-support/fake-api-dependencies.js';

interface DocumentedParameter {
  name: string;
  in: string;
  schema: { type?: string; format?: string; enum?: string[]; minimum?: number; maximum?: number; minLength?: number };
}

interface DocumentedOperation {
  operationId: PublicRouteName;
  method: string;
  path: string;
  parameters: DocumentedParameter[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const document = openApiDocument();
const operations: DocumentedOperation[] = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Omit<DocumentedOperation, 'method' | 'path'>>).map(([method, operation]) => ({
    ...operation,
    parameters: operation.parameters ?? [],
    method: method.toUpperCase(),
    path,
  })),
);

/** Values for the path parameters: the ids the fakes hold. */
const PATH_VALUES: Record<string, string> = { job_id: FAKE_JOB_ID, id: FAKE_IMAGE_ID, key_id: FAKE_SPARE_KEY_ID, user_id: FAKE_OTHER_USER_ID };

let accountsMade = 0;
/** A new address each time: every call of sign-up or user creation makes an account. */
const newAccount = () => ({ email: `new-${++accountsMade}@example.com`, password: 'a long enough password' });

/** A request each operation answers with its success, given the fakes; by route name, so none is left out. */
const REQUESTS: Record<PublicRouteName, { json?: unknown; query?: string }> = {
  // The fakes' folder sources take any link.
  ...(Object.fromEntries(FOLDER_LINK_SOURCES.map(({ kind, route }) => [route, { json: { folder_url: `https://${kind}.example.com/fake-folder` } }])) as Record<
    FolderLinkSourceEntry['route'],
    { json: unknown }
  >),
  importUrls: { json: { urls: ['https://images.example.com/a.jpg'], webhook_url: 'https://hooks.example.com/done' } },
  listJobs: {},
  getJob: {},
  listJobFiles: { query: 'status=done' },
  cancelJob: {},
  retryJob: {},
  listImages: { query: `source=google_drive&job_id=${FAKE_JOB_ID}` },
  getImage: {},
  getImageContent: {},
  getImageThumbnail: {},
  authStatus: {},
  // Answers 201 only while there is no user, and the fakes hold two: its own test below starts from none.
  setup: { json: { email: 'first@example.com', password: 'a long enough password' } },
  signIn: { json: { email: FAKE_ADMIN.email, password: FAKE_ADMIN.password } },
  get signUp() {
    return { json: newAccount() };
  },
  signOut: {},
  oidcStart: {},
  oidcCallback: { query: 'code=x&state=y' },
  getAccount: {},
  changePassword: { json: { current_password: FAKE_ADMIN.password, new_password: FAKE_ADMIN.password } },
  listApiKeys: {},
  createApiKey: { json: { name: 'ci' } },
  revokeApiKey: {},
  getWebhookSecret: {},
  rotateWebhookSecret: {},
  listUsers: {},
  get createUser() {
    return { json: { ...newAccount(), role: 'user' } };
  },
  disableUser: {},
  enableUser: {},
  health: {},
  openApi: {},
};

/** Operations whose success needs a state the shared fakes are not in; each has its own test. */
const OWN_TEST: ReadonlySet<PublicRouteName> = new Set(['setup', 'revokeApiKey']);

/** A body of each media type a request body may be documented with. */
function sampleBody(operation: DocumentedOperation, mediaType: string): RequestInit['body'] {
  switch (mediaType) {
    case 'application/json':
      return JSON.stringify(REQUESTS[operation.operationId].json);
    case 'text/csv':
      return 'id,image_url\n1,https://images.example.com/a.jpg\n';
    case 'multipart/form-data': {
      const form = new FormData();
      form.set('file', new Blob(['https://images.example.com/a.jpg\n'], { type: 'text/csv' }), 'urls.csv');
      return form;
    }
    default:
      throw new Error(`no sample body for ${mediaType}`);
  }
}

const componentSchemas = new Map<string, z.ZodType>(Object.entries(DOCUMENTED_SCHEMAS).map(([name, schema]) => [`#/components/schemas/${name}`, schema]));

/** Every route of the app, as `METHOD /express/path`, found in express 4's router stack (the routers are mounted at `/`). */
function mountedRoutes(app: express.Express): string[] {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle: { stack?: Layer[] };
  }
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route?.path}`)
        : layer.handle.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk((app as unknown as { _router: { stack: Layer[] } })._router.stack);
}

describe('the express routes and the OpenAPI document agree', () => {
  const { deps, calls } = fakeApiDependencies();
  const logged: string[] = [];
  const app = buildApp(deps);
  addFallbacks(app, createLogger({ service: 'spec', write: (line) => logged.push(line) }));
  let server: Server;
  let base = '';

  before(async () => {
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => server.close());

  interface CallOptions {
    query?: string;
    pathValues?: Record<string, string>;
    mediaType?: string;
    headers?: Record<string, string>;
  }

  /** The operation's request: the ids the fakes hold, and its JSON body (or one of `mediaType`). */
  const call = (operation: DocumentedOperation, { query = '', pathValues = PATH_VALUES, mediaType, headers = {} }: CallOptions = {}) => {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValues[name] ?? name);
    const type = mediaType ?? (REQUESTS[operation.operationId].json === undefined ? undefined : 'application/json');
    const body = type ? sampleBody(operation, type) : undefined;
    // FormData sets its own multipart content type, boundary included.
    const contentType = type && type !== 'multipart/form-data' ? { 'content-type': type } : {};
    return fetch(`${base}${path}${query ? `?${query}` : ''}`, {
      method: operation.method,
      body,
      redirect: 'manual',
      headers: { authorization: `Bearer ${FAKE_API_KEY}`, ...contentType, ...headers },
    });
  };

  test('the document has an operation for every route of the table', () => {
    assert.equal(operations.length, Object.keys(REQUESTS).length);
    assert.deepEqual(operations.map((o) => o.operationId).sort(), Object.keys(REQUESTS).sort());
  });

  test('every documented operation reaches its route handler and answers its documented success, in its documented shape', async () => {
    for (const operation of operations.filter((o) => !OWN_TEST.has(o.operationId))) {
      const answer = await call(operation, { query: REQUESTS[operation.operationId].query ?? '' });
      const label = `${operation.method} ${operation.path}`;
      const success = Object.keys(operation.responses).find((status) => /^[23]/.test(status));
      assert.equal(String(answer.status), success, `${label}: ${await answer.clone().text()}`);
      const documented = operation.responses[success ?? '']?.content ?? {};
      const mediaTypes = Object.keys(documented);
      const type = answer.headers.get('content-type') ?? '';
      if (mediaTypes.length) assert.ok(mediaTypes.some((m) => new RegExp(`^${m.replace('*', '[^;]+')}`).test(type)), `${label} answers ${type}, documented ${mediaTypes}`);
      const ref = documented['application/json']?.schema?.$ref;
      const schema = ref ? componentSchemas.get(ref) : undefined;
      if (ref) assert.ok(schema, `${label}: ${ref} is a documented component`);
      if (schema) schema.parse(await answer.json());
      else await answer.arrayBuffer();
    }
    assert.deepEqual(logged, [], 'no request failed inside the app');
  });

  test('an id that is not a UUID is answered by the route (its own 404), not by the fallback', async () => {
    for (const operation of operations.filter((o) => o.path.includes('{'))) {
      const answer = await call(operation, { pathValues: { job_id: 'not-a-uuid', id: 'not-a-uuid' } });
      assert.equal(answer.status, 404, `${operation.method} ${operation.path}`);
      const { error } = (await answer.json()) as { error: { code: string } };
      assert.match(error.code, /^(job|image|api_key|user)_not_found$/, `${operation.method} ${operation.path}`);
    }
  });

  test('every documented request body media type is taken', async () => {
    for (const operation of operations.filter((o) => o.requestBody && !OWN_TEST.has(o.operationId))) {
      const success = Object.keys(operation.responses).find((status) => status.startsWith('2'));
      for (const mediaType of Object.keys(operation.requestBody?.content ?? {})) {
        const answer = await call(operation, { mediaType });
        assert.equal(String(answer.status), success, `${operation.method} ${operation.path} as ${mediaType}: ${await answer.clone().text()}`);
        await answer.arrayBuffer();
      }
    }
  });

  test('an operation that documents a 206 answers one byte range with it', async () => {
    const ranged = operations.filter((o) => o.responses['206']);
    assert.equal(ranged.length, 2);
    for (const operation of ranged) {
      const answer = await call(operation, { headers: { range: 'bytes=0-0' } });
      assert.equal(answer.status, 206, `${operation.method} ${operation.path}`);
      assert.match(answer.headers.get('content-range') ?? '', /^bytes 0-0\/\d+$/);
      assert.equal((await answer.arrayBuffer()).byteLength, 1);
    }
  });

  test('every documented bound of a query parameter is the one the route enforces (400 just past it)', async () => {
    let probes = 0;
    for (const operation of operations) {
      // A query parameter beside a body is for the bodies that cannot carry it (webhook_url with a CSV).
      const mediaTypes = operation.requestBody ? Object.keys(operation.requestBody.content).filter((m) => m !== 'application/json') : [undefined];
      for (const { name, schema } of operation.parameters.filter((p) => p.in === 'query')) {
        const past = [
          ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)]),
          ...(schema.minimum === undefined ? [] : [String(schema.minimum - 1)]),
          ...(schema.minLength === undefined ? [] : ['x'.repeat(schema.minLength - 1)]),
          ...(schema.type === 'integer' ? ['1.5'] : []),
          ...(schema.enum || schema.format === 'uuid' ? ['not-one-of-them'] : []),
          ...(schema.format === 'uri' ? ['ftp://example.com/x'] : []),
        ];
        for (const value of past) {
          for (const mediaType of mediaTypes) {
            const answer = await call(operation, { query: `${name}=${encodeURIComponent(value)}`, ...(mediaType ? { mediaType } : {}) });
            assert.equal(answer.status, 400, `${operation.method} ${operation.path}?${name}=${value}${mediaType ? ` as ${mediaType}` : ''}`);
            await answer.arrayBuffer();
            probes++;
          }
        }
      }
    }
    assert.ok(probes >= 15, `${probes} probes`);
  });

  test("the jobs list takes the documented default limit (the document's stand-in for the router's query schema)", async () => {
    const listJobs = operations.find((o) => o.operationId === 'listJobs');
    assert.ok(listJobs);
    const limit = listJobs.parameters.find((p) => p.name === 'limit')?.schema as { default?: number };
    calls.jobPageLimits.length = 0;
    await (await call(listJobs)).arrayBuffer();
    assert.deepEqual(calls.jobPageLimits, [(limit.default ?? 0) + 1], 'the service asks for one more than the page holds');
  });

  test('revoking an API key answers 204 once, then 404: the key is gone', async () => {
    const revoke = operations.find((o) => o.operationId === 'revokeApiKey');
    assert.ok(revoke);
    assert.equal((await call(revoke)).status, 204);
    const again = await call(revoke);
    assert.equal(again.status, 404);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'api_key_not_found');
  });

  test('no route the app mounts is left out of the document, except readiness, which is for the cluster', () => {
    const documented = operations.map((o) => `${o.method} ${expressPath({ path: o.path } as PublicRoute)}`);
    assert.deepEqual(mountedRoutes(app).sort(), [...documented, `GET ${READINESS_PATH}`].sort());
  });
});
