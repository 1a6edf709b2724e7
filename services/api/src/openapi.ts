import { z } from 'zod';
import { createDocument, type CreateDocumentOptions, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import {
  AccountV1,
  ApiKeyListV1,
  AuthStatusV1,
  ChangePasswordRequestV1,
  CreateApiKeyRequestV1,
  CreatedApiKeyV1,
  CreateUserRequestV1,
  CredentialsRequestV1,
  PasswordChangedV1,
  routeAccess,
  SESSION_COOKIE,
  SignedInV1,
  UserListV1,
  WebhookSecretV1,
  ApiKeyV1,
  PublicRoutes,
  type PublicRouteName,
  ErrorResponseV1,
  ImageListQueryV1,
  JobListQueryV1,
  ImageListV1,
  ImageV1,
  ImportAcceptedV1,
  ImportFolderRequestV1,
  ImportUrlsAcceptedV1,
  ImportUrlsRequestV1,
  JobDetailV1,
  JobFilesQueryV1,
  JobFilesV1,
  JobFinishedWebhookV1,
  JobListV1,
  JobSummaryV1,
  PUBLIC_JSON_MAX_BYTES,
  SOURCE_ENTRIES,
  type SourceEntry,
  type SourceRouteName,
  WebhookHeader,
  WebhookUrlSchema,
} from '@importer/contracts';
import { MAX_PAGE_OFFSET } from './images/images.service.js';

/** The names inside `{…}` of a route path: `'/import/jobs/{job_id}/files'` → `'job_id'`. */
type PathParameterNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParameterNames<Rest> : never;

/** Every path parameter of the route table is the id its resource carries; TypeScript refuses a parameter without one. */
const PATH_PARAMETERS: Record<PathParameterNames<(typeof PublicRoutes)[PublicRouteName]['path']>, z.ZodType> = {
  job_id: JobSummaryV1.shape.job_id,
  id: ImageV1.shape.id,
  key_id: ApiKeyV1.shape.id,
  user_id: AccountV1.shape.id,
};

/** `POST /import/urls` with a CSV: webhook_url as a query parameter (or a form field before the file). */
const CsvImportQuery = z.object({ webhook_url: WebhookUrlSchema.optional() });

/** `POST /import/urls` as a file upload: the CSV as a file field, webhook_url as a field before it. */
const CsvUpload = CsvImportQuery.extend({ file: z.file() });

const MB = 1024 * 1024;

/** The contracts' schemas under the names the document gives them; every use of one in an operation is a `$ref`. */
export const DOCUMENTED_SCHEMAS = {
  ImportFolderRequest: ImportFolderRequestV1,
  ImportAccepted: ImportAcceptedV1,
  ImportUrlsRequest: ImportUrlsRequestV1,
  ImportUrlsAccepted: ImportUrlsAcceptedV1,
  JobSummary: JobSummaryV1,
  JobDetail: JobDetailV1,
  JobList: JobListV1,
  JobFiles: JobFilesV1,
  Image: ImageV1,
  ImageList: ImageListV1,
  ErrorResponse: ErrorResponseV1,
  JobFinishedWebhook: JobFinishedWebhookV1,
  Account: AccountV1,
  AuthStatus: AuthStatusV1,
  Credentials: CredentialsRequestV1,
  SignedIn: SignedInV1,
  ApiKey: ApiKeyV1,
  ApiKeyList: ApiKeyListV1,
  CreatedApiKey: CreatedApiKeyV1,
  WebhookSecret: WebhookSecretV1,
  UserList: UserListV1,
} as const satisfies Record<string, z.ZodType>;

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

const RetryAfter = z.object({ 'Retry-After': z.string().regex(/^\d+$/).meta({ description: 'Seconds to wait before asking again' }) });

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 416 | 429 | 501 | 502 | 503;

/**
 * An operation's error answers, each `{"error": {"code", "message"}}` (429 and 503 with Retry-After), and the 500 that
 * any route reaching a service can give.
 */
function errors(descriptions: Partial<Record<ErrorStatus, string>>): ZodOpenApiResponsesObject {
  const answers: ZodOpenApiResponsesObject = {};
  const all: [string, string][] = [...Object.entries(descriptions), ['500', 'Something went wrong on our side (logged, never detailed); try again in a moment']];
  for (const [status, description] of all) {
    answers[status as `${ErrorStatus}`] = { description, content: json(ErrorResponseV1), ...(status === '429' || status === '503' ? { headers: RetryAfter } : {}) };
  }
  return answers;
}

/** 200 with the whole object or 206 with the one byte range asked for, streamed. */
function ranged(description: string, mediaType: string): ZodOpenApiResponsesObject {
  const content = { [mediaType]: { schema: { type: 'string', format: 'binary' } satisfies oas31.SchemaObject } };
  return {
    200: { description, content },
    206: {
      description: 'The one byte range asked for (Range: bytes=…); several ranges or another unit get the whole object',
      content,
      headers: z.object({ 'Content-Range': z.string().meta({ description: 'bytes <first>-<last>/<size>' }) }),
    },
  };
}

/** What every signed-in route answers without a valid API key or session. */
const UNAUTHENTICATED = { description: 'No valid API key or session: sign in, or send "Authorization: Bearer <key>"', content: json(ErrorResponseV1) };

/** A route's operation; its path parameters come from PATH_PARAMETERS, and `query` from the schema its router parses. */
type Operation = Omit<ZodOpenApiOperationObject, 'operationId' | 'requestParams'> & { query?: z.ZodObject };

/** What a folder-link import answers whatever its source, besides its own link and access errors. */
function folderImportErrors(source: string): Partial<Record<ErrorStatus, string>> {
  return {
    413: `A body over ${PUBLIC_JSON_MAX_BYTES / MB} MB`,
    502: `${source} refused the request (credentials, or an answer this server does not understand)`,
    503: `${source} is not answering or rate-limits; try again after Retry-After`,
  };
}

/** A source's import errors: its catalogue entry's, a folder-link import's, and the 501 every import gives for a webhook it cannot sign. */
function importErrors(entry: SourceEntry): Partial<Record<ErrorStatus, string>> {
  return {
    ...(entry.folderLink ? folderImportErrors(entry.label) : {}),
    ...entry.importDoc.errors,
    429: 'A quota of yours is used up (imports running at once, storage, or files per job); the message names it',
    501: `${entry.importDoc.errors[501]}, or webhook_url is given but no WEBHOOK_SECRET is configured`,
  };
}

/** A source's import operation, from its catalogue entry: a folder link as JSON, or a list of URLs as JSON, a CSV body or a CSV upload. */
function importOperation(entry: SourceEntry): Operation {
  const { summary, description } = entry.importDoc;
  if (entry.folderLink) {
    return {
      tags: ['imports'],
      summary,
      description,
      requestBody: { required: true, content: json(ImportFolderRequestV1) },
      responses: { 202: { description: 'The job was created and listing started', content: json(ImportAcceptedV1) }, ...errors(importErrors(entry)) },
    };
  }
  return {
    tags: ['imports'],
    summary,
    description,
    query: CsvImportQuery,
    requestBody: {
      required: true,
      content: {
        ...json(ImportUrlsRequestV1),
        'text/csv': { schema: { type: 'string', description: 'One URL a line, or a CSV whose URL column is found by its name (url, image_url, link, …) or its values' } },
        'multipart/form-data': { schema: CsvUpload },
      },
    },
    responses: { 202: { description: 'The job was created', content: json(ImportUrlsAcceptedV1) }, ...errors(importErrors(entry)) },
  };
}

/** The import operations, one per source, each at the route its catalogue entry names. */
const IMPORT_OPERATIONS = Object.fromEntries(SOURCE_ENTRIES.map((entry) => [entry.route, importOperation(entry)])) as Record<SourceRouteName, Operation>;

/** Every other operation of the public route table, by route name: TypeScript refuses a missing or an extra one. */
const OPERATIONS: Record<Exclude<PublicRouteName, SourceRouteName>, Operation> = {
  listJobs: {
    tags: ['jobs'],
    summary: 'List jobs, newest first',
    query: JobListQueryV1,
    responses: { 200: { description: 'A page of jobs', content: json(JobListV1) }, ...errors({ 400: 'A limit out of range, or a cursor this API did not hand out' }) },
  },
  getJob: {
    tags: ['jobs'],
    summary: 'A job: status, counts, progress and the first failed files with their reasons',
    responses: { 200: { description: 'The job', content: json(JobDetailV1) }, ...errors({ 404: 'No such job' }) },
  },
  listJobFiles: {
    tags: ['jobs'],
    summary: "Every file of a job with its status and reason (for a URL list, every URL's outcome), in the order found",
    query: JobFilesQueryV1,
    responses: { 200: { description: 'A page of files', content: json(JobFilesV1) }, ...errors({ 400: 'A bad status, limit or cursor', 404: 'No such job' }) },
  },
  cancelJob: {
    tags: ['jobs'],
    summary: 'Cancel a job that has not ended',
    responses: { 200: { description: 'Cancelled', content: json(JobSummaryV1) }, ...errors({ 404: 'No such job', 409: 'The job has already ended' }) },
  },
  retryJob: {
    tags: ['jobs'],
    summary: 'Retry the failed files of a job that completed with errors',
    responses: { 202: { description: 'Retrying', content: json(JobSummaryV1) }, ...errors({ 404: 'No such job', 409: 'Nothing to retry' }) },
  },
  listImages: {
    tags: ['images'],
    summary: 'List images, newest first (keyset pages through cursor, or numbered pages)',
    query: ImageListQueryV1,
    responses: {
      200: { description: 'A page of images', content: json(ImageListV1) },
      ...errors({ 400: `Bad filters or cursor, cursor and page together, or page × limit past ${MAX_PAGE_OFFSET.toLocaleString('en')} (follow next_cursor)` }),
    },
  },
  getImage: {
    tags: ['images'],
    summary: 'One image',
    responses: { 200: { description: 'The image', content: json(ImageV1) }, ...errors({ 404: 'No such image' }) },
  },
  getImageContent: {
    tags: ['images'],
    summary: "The image's bytes, streamed (sandboxed: an SVG cannot run script); one byte range (Range: bytes=…) is served as 206",
    responses: {
      ...ranged('The image', 'image/*'),
      ...errors({
        404: 'No such image, or its bytes are not in storage',
        416: 'The range is outside the image',
        429: 'Too many downloads at once; try again after Retry-After',
      }),
    },
  },
  getImageThumbnail: {
    tags: ['images'],
    summary: "The image's WebP preview (400 px on the long side); thumbnail_url points here once it is made",
    responses: {
      ...ranged('The preview', 'image/webp'),
      ...errors({
        404: 'No such image, or no preview yet',
        416: 'The range is outside the preview',
        429: 'Too many downloads at once; try again after Retry-After',
      }),
    },
  },
  authStatus: {
    tags: ['accounts'],
    summary: 'Whether setup is needed, the sign-up policy, the OIDC button, and who is signed in (if anyone)',
    responses: { 200: { description: 'The status', content: json(AuthStatusV1) } },
  },
  setup: {
    tags: ['accounts'],
    summary: 'Create the first administrator (only while there is no user) and sign in',
    requestBody: { required: true, content: json(CredentialsRequestV1) },
    responses: {
      201: { description: 'Created and signed in (session cookie set)', content: json(SignedInV1) },
      ...errors({ 400: 'A bad email, or a password not of 12 to 256 characters', 409: 'The administrator exists already', 429: 'Too many accounts created from this address' }),
    },
  },
  signIn: {
    tags: ['accounts'],
    summary: 'Sign in with email and password; the session comes back as an HttpOnly cookie',
    requestBody: { required: true, content: json(CredentialsRequestV1) },
    responses: {
      200: { description: 'Signed in (session cookie set)', content: json(SignedInV1) },
      ...errors({ 401: 'Wrong email or password', 403: 'The account is disabled', 429: 'Too many failed sign-ins from this address' }),
    },
  },
  signUp: {
    tags: ['accounts'],
    summary: 'Create an account and sign in, when sign-up is open',
    requestBody: { required: true, content: json(CredentialsRequestV1) },
    responses: {
      201: { description: 'Created and signed in (session cookie set)', content: json(SignedInV1) },
      ...errors({ 400: 'A bad email or password', 403: 'Sign-up is closed', 409: 'The email has an account', 429: 'Too many accounts created from this address' }),
    },
  },
  signOut: { tags: ['accounts'], summary: "End the cookie's session", responses: { 204: { description: 'Signed out (cookie cleared)' } } },
  oidcStart: {
    tags: ['accounts'],
    summary: 'Start single sign-on: a redirect to the OIDC provider',
    responses: { 302: { description: 'To the provider' }, ...errors({ 404: 'OIDC is not configured' }) },
  },
  oidcCallback: {
    tags: ['accounts'],
    summary: "The provider's redirect back: signs in and redirects to the web app (to /sign-in?error=… when refused)",
    responses: { 302: { description: 'To the web app' }, ...errors({ 404: 'OIDC is not configured' }) },
  },
  getAccount: { tags: ['accounts'], summary: 'Who is calling', responses: { 200: { description: 'The account', content: json(SignedInV1) }, ...errors({ 401: 'Not signed in' }) } },
  changePassword: {
    tags: ['accounts'],
    summary: "Change one's password; every other session ends",
    requestBody: { required: true, content: json(ChangePasswordRequestV1) },
    responses: { 200: { description: 'Changed', content: json(PasswordChangedV1) }, ...errors({ 400: 'A new password not of 12 to 256 characters', 401: 'The current password is wrong' }) },
  },
  listApiKeys: { tags: ['accounts'], summary: "One's API keys (never the keys themselves)", responses: { 200: { description: 'The keys', content: json(ApiKeyListV1) } } },
  createApiKey: {
    tags: ['accounts'],
    summary: 'Make an API key: send it as "Authorization: Bearer <key>"; it is shown this once',
    requestBody: { required: true, content: json(CreateApiKeyRequestV1) },
    responses: { 201: { description: 'The key, this once', content: json(CreatedApiKeyV1) }, ...errors({ 400: 'A name not of 1 to 100 characters' }) },
  },
  revokeApiKey: { tags: ['accounts'], summary: 'Revoke one of your API keys', responses: { 204: { description: 'Revoked' }, ...errors({ 404: 'No such key of yours' }) } },
  getWebhookSecret: {
    tags: ['accounts'],
    summary: "The Standard Webhooks secret that signs your jobs' deliveries",
    responses: { 200: { description: 'The secret', content: json(WebhookSecretV1) }, ...errors({ 501: 'No WEBHOOK_SECRET is configured' }) },
  },
  rotateWebhookSecret: {
    tags: ['accounts'],
    summary: 'Replace your webhook secret; deliveries are signed with the new one from now on',
    responses: { 200: { description: 'The new secret', content: json(WebhookSecretV1) }, ...errors({ 501: 'No WEBHOOK_SECRET is configured' }) },
  },
  listUsers: { tags: ['admin'], summary: 'Every user (administrators)', responses: { 200: { description: 'The users', content: json(UserListV1) }, ...errors({ 404: 'Not an administrator' }) } },
  createUser: {
    tags: ['admin'],
    summary: 'Add a user (administrators)',
    requestBody: { required: true, content: json(CreateUserRequestV1) },
    responses: { 201: { description: 'Created', content: json(SignedInV1) }, ...errors({ 400: 'A bad email or password', 404: 'Not an administrator', 409: 'The email has an account' }) },
  },
  disableUser: {
    tags: ['admin'],
    summary: 'Disable a user: their sessions end and their keys stop working (administrators)',
    responses: { 200: { description: 'Disabled', content: json(SignedInV1) }, ...errors({ 404: 'No such user, or not an administrator', 409: 'You cannot disable yourself' }) },
  },
  enableUser: {
    tags: ['admin'],
    summary: 'Enable a disabled user again (administrators)',
    responses: { 200: { description: 'Enabled', content: json(SignedInV1) }, ...errors({ 404: 'No such user, or not an administrator' }) },
  },
  health: { tags: ['service'], summary: 'Liveness', responses: { 200: { description: 'The process runs' } } },
  openApi: { tags: ['service'], summary: 'This document', responses: { 200: { description: 'The OpenAPI 3.1 description of the public API' } } },
};

/** One operation per route of the public table. */
const ALL_OPERATIONS: Record<PublicRouteName, Operation> = { ...OPERATIONS, ...IMPORT_OPERATIONS };

/** The document's paths: one operation per route of the public table, named by the route, so the two cannot drift. */
function paths(): ZodOpenApiPathsObject {
  const out: ZodOpenApiPathsObject = {};
  for (const [name, route] of Object.entries(PublicRoutes) as [PublicRouteName, (typeof PublicRoutes)[PublicRouteName]][]) {
    const { query, responses, ...operation } = ALL_OPERATIONS[name];
    const access = routeAccess(name);
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, parameter]) => parameter as keyof typeof PATH_PARAMETERS);
    const path = parameters.length ? z.object(Object.fromEntries(parameters.map((p) => [p, PATH_PARAMETERS[p]]))) : undefined;
    const requestParams = { ...(path ? { path } : {}), ...(query ? { query } : {}) };
    out[route.path] = {
      ...out[route.path],
      [route.method.toLowerCase()]: {
        operationId: name,
        ...operation,
        ...(path || query ? { requestParams } : {}),
        // Anonymous routes need no credential; every other one takes either (the document's default) and may answer 401.
        responses: access === 'anonymous' ? responses : { ...responses, 401: UNAUTHENTICATED },
        ...(access === 'anonymous' ? { security: [] } : {}),
      },
    };
  }
  return out;
}

const WEBHOOK_HEADERS = z.object({
  [WebhookHeader.id]: z.string().meta({ description: 'msg_<job id>: the same on every retry of one delivery' }),
  [WebhookHeader.timestamp]: z.string().meta({ description: 'Unix seconds of the attempt; refuse one more than 5 minutes off' }),
  [WebhookHeader.signature]: z.string().meta({ description: 'v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">, keyed with the owner\'s webhook secret' }),
});

/**
 * Two adjustments to how zod renders a schema. An answer is not declared closed (`additionalProperties: false`): zod
 * strips unknown keys rather than refusing them and answers may gain fields, and so a schema used by requests and
 * answers stays one component. A pipe shows its input, so the string format its output checks (webhook_url's `uri`) is added.
 */
const documented: CreateDocumentOptions['override'] = ({ jsonSchema, zodSchema, io }) => {
  const def = zodSchema._zod.def;
  if (io === 'output' && def.type === 'object' && def.catchall === undefined && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
  if (io === 'input' && def.type === 'pipe') {
    const out = z.toJSONSchema(def.out, { io: 'input', unrepresentable: 'any' });
    if (typeof out.format === 'string' && out.type === jsonSchema.type) jsonSchema.format ??= out.format;
  }
};

export type OpenApiDocument = ReturnType<typeof createDocument>;

/** The OpenAPI 3.1 document, generated by zod-openapi from the route table and the zod schemas that check every request and response. */
export function openApiDocument(): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Image importer API',
      version: '1.0.0',
      description:
        'Imports every image of a Google Drive folder, a Dropbox shared folder or a list of URLs into S3 with its metadata. ' +
        'Every 4xx and 5xx answers {"error": {"code", "message"}}. Through the web gateway (/api) any operation may also answer ' +
        '405 (a known path with another method), 413 (a body over the route\'s bound at the door) and 502 api_unavailable (the API did not answer).',
    },
    // Relative to where the document is served: /api through the gateway, / on api's own port.
    servers: [{ url: '.', description: 'Where this document was served from' }],
    tags: [
      { name: 'imports', description: 'Start a job from a folder link or a list of URLs' },
      { name: 'jobs', description: 'Follow, cancel and retry jobs' },
      { name: 'images', description: 'The gallery and the stored bytes' },
      { name: 'accounts', description: 'Sign-in, sessions, API keys and your webhook secret' },
      { name: 'admin', description: 'Users, for administrators' },
      { name: 'service', description: 'Liveness and this description' },
    ],
    security: [{ apiKey: [] }, { session: [] }],
    paths: paths(),
    webhooks: {
      'import.job.finished': {
        post: {
          operationId: 'jobFinished',
          summary: "Sent once to a job's webhook_url when the job ends; retried with backoff until a 2xx",
          description:
            'Standard Webhooks (https://www.standardwebhooks.com/): verify the signature against the raw body with the owner\'s webhook secret (GET /account/webhook-secret, also in the 202 of an import with a webhook_url). ' +
            'The URL is guarded like URL imports and redirects are not followed.',
          requestParams: { header: WEBHOOK_HEADERS },
          // A reference, not the schema: the body is what api sends, so it is rendered as an output like every answer.
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/JobFinishedWebhook' } } } },
          responses: { 200: { description: 'Any 2xx ends the deliveries; 5xx, 408, 429 or no answer are retried' } },
        },
      },
    },
    components: {
      schemas: DOCUMENTED_SCHEMAS,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /account/api-keys: "Authorization: Bearer imp_…"' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The browser session from sign-in; writes must come from the site itself' },
      },
    },
  }, { override: documented });
}
