import { Readable } from 'node:stream';
import { FOLDER_LINK_SOURCES, type FolderLinkSourceKind, type FolderRef, type StartJob } from '@importer/contracts';
import type { ImageRecord, JobSummaryRow, OwnerScope } from '@importer/db';
import type { RequestHandler } from 'express';
import { createLogger } from '@importer/observability';
import type { ImageSource } from '@importer/providers';
import type { CommandOutcome } from '../actors/import-job.answers.js';
import type { JobState } from '../actors/import-job.state.js';
import type { ApiDependencies } from '../app.js';
import { ConcurrencyLimit } from '../http/concurrency-limit.js';
import { ImagesService } from '../images/images.service.js';
import { ImportService } from '../imports/import.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ReadinessService } from '../readiness.service.js';
import { AccountsService } from '../accounts/accounts.service.js';
import type { OidcLogin } from '../accounts/auth.router.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { tokenHash } from '../accounts/tokens.js';
import { UserWebhookSecrets } from '../webhooks/user-webhook-secrets.js';
import { WebhookSecrets } from '../webhooks/webhook-secret.js';
import { FakeAccountRepositories } from './fake-account-repositories.js';

/** The one job the fakes hold. */
export const FAKE_JOB_ID = '6f1c2b9e-4d3a-4c5b-8e7f-0a1b2c3d4e5f';
/** The one image the fakes hold, with a preview. */
export const FAKE_IMAGE_ID = '0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a';
export const FAKE_APP_API_TOKEN = 'fake-app-api-token';
/** The administrator the fakes hold, their password and API key; a second user; and a spare key of the administrator's to revoke. */
export const FAKE_ADMIN = { id: '11111111-1111-4111-8111-111111111111', email: 'admin@example.com', password: 'correct horse battery' };
export const FAKE_API_KEY = `imp_${'A'.repeat(43)}`;
export const FAKE_OTHER_USER_ID = '22222222-2222-4222-8222-222222222222';
export const FAKE_SPARE_KEY_ID = '33333333-3333-4333-8333-333333333333';

const CREATED = new Date('2025-01-02T03:04:05.000Z');
const IMAGE_BYTES = Buffer.from('RIFF\0\0\0\0WEBPVP8 ');

const jobRow: JobSummaryRow = {
  id: FAKE_JOB_ID,
  ownerId: FAKE_ADMIN.id,
  source: 'google_drive',
  folderUrl: 'https://drive.google.com/drive/folders/1FakeFolder',
  status: 'completed_with_errors',
  totalFiles: 3,
  processedFiles: 2,
  failedFiles: 1,
  skippedFiles: 0,
  bytes: 2048,
  error: null,
  createdAt: CREATED,
  finishedAt: CREATED,
};

const jobState: JobState = {
  jobId: FAKE_JOB_ID,
  source: 'google_drive',
  folderUrl: jobRow.folderUrl,
  recursive: true,
  status: 'listing',
  foldersPending: 1,
  totalFiles: 0,
  processedFiles: 0,
  failedFiles: 0,
  skippedFiles: 0,
  bytes: 0,
  error: null,
  createdAt: CREATED.toISOString(),
  updatedAt: CREATED.toISOString(),
  finishedAt: null,
  lastProgressAt: CREATED.toISOString(),
  maxFiles: null,
};

const image: ImageRecord = {
  id: FAKE_IMAGE_ID,
  ownerId: FAKE_ADMIN.id,
  source: 'google_drive',
  sourceFileId: '1FakeFile',
  googleDriveId: '1FakeFile',
  jobId: FAKE_JOB_ID,
  name: 'photo.webp',
  mimeType: 'image/webp',
  size: IMAGE_BYTES.length,
  storagePath: `images/${FAKE_IMAGE_ID}`,
  width: 1,
  height: 1,
  previewPath: `previews/${FAKE_IMAGE_ID}.webp`,
  previewWidth: 1,
  previewHeight: 1,
  createdAt: CREATED,
};

/** Whether an owner scope takes in the fake job (the administrator's). */
const visible = (scope: OwnerScope) => 'anyOwner' in scope || scope.ownerId === jobRow.ownerId;

/** Rate limits are Redis's and tested against it; here every request passes. */
const passThrough: RequestHandler = (_req, _res, next) => next();

/** A folder source that sees every folder it is given. */
const folderSource = {
  parseFolderLink: (url: string): FolderRef => ({ id: url, path: '' }),
  source: { kind: 'google_drive', inspectRoot: async () => ({ name: 'Fake folder' }) } as Pick<ImageSource, 'kind' | 'inspectRoot'> as ImageSource,
};

/** Hashes as plain text with a tag: unit tests need the accounts' logic, not argon2's cost. */
const plainHasher: PasswordHasher = { hash: async (password) => `plain:${password}`, verify: async (hash, password) => hash === `plain:${password}` };

/** A provider that sends the browser to a fixed address and vouches for no one. */
const fakeOidc: OidcLogin = {
  label: 'Sign in with the fake provider',
  start: async () => ({ authorizationUrl: 'https://idp.example.com/authorize', pending: 'pending' }),
  finish: async () => {
    throw Object.assign(new Error('the fake provider signs nobody in'), { code: 'oidc_rejected' });
  },
};

/** The accounts over in-memory repositories, holding FAKE_ADMIN with FAKE_API_KEY and a second user with a key. */
export function fakeAccounts(): { accounts: AccountsService; repositories: FakeAccountRepositories } {
  const repositories = new FakeAccountRepositories();
  const user = (id: string, email: string, role: 'admin' | 'user') => ({ id, email, passwordHash: `plain:${FAKE_ADMIN.password}`, role, disabledAt: null, createdAt: CREATED, webhookSecretVersion: 1 });
  repositories.userRows.set(FAKE_ADMIN.id, user(FAKE_ADMIN.id, FAKE_ADMIN.email, 'admin'));
  repositories.userRows.set(FAKE_OTHER_USER_ID, user(FAKE_OTHER_USER_ID, 'other@example.com', 'user'));
  const key = (id: string, userId: string, keyHash: string) => ({ id, userId, name: 'fake', prefix: 'imp_AAAAAAAA', keyHash, createdAt: CREATED, lastUsedAt: null, revokedAt: null });
  repositories.apiKeyRows.set('44444444-4444-4444-8444-444444444444', key('44444444-4444-4444-8444-444444444444', FAKE_ADMIN.id, tokenHash(FAKE_API_KEY)));
  repositories.apiKeyRows.set(FAKE_SPARE_KEY_ID, key(FAKE_SPARE_KEY_ID, FAKE_ADMIN.id, tokenHash(`imp_${'B'.repeat(43)}`)));
  return { accounts: new AccountsService(repositories, plainHasher, { sessionTtlMs: 3_600_000, signUp: 'open' }), repositories };
}

/** What the fakes were asked, for assertions about what a route passed on. */
export interface FakeCalls {
  /** `limit` of every page of jobs asked for (the service asks for one more than the page holds). */
  jobPageLimits: number[];
  started: StartJob[];
}

/**
 * The api's dependencies as buildApp takes them: the real services over in-memory fakes of the repositories, actors,
 * sources and storage they call, holding one job and one image, so every public route can answer its success.
 */
export function fakeApiDependencies(): { deps: ApiDependencies; calls: FakeCalls } {
  const calls: FakeCalls = { jobPageLimits: [], started: [] };
  const accepted = async (): Promise<CommandOutcome> => ({ outcome: 'accepted', message: 'accepted', job: jobState });
  const { accounts, repositories } = fakeAccounts();
  const webhookSecrets = new UserWebhookSecrets(new WebhookSecrets('fake-deployment-secret'), {
    webhookSecretVersion: async (userId) => repositories.userRows.get(userId)?.webhookSecretVersion,
    bumpWebhookSecretVersion: async (userId) => {
      const user = repositories.userRows.get(userId);
      if (user) user.webhookSecretVersion += 1;
      return user?.webhookSecretVersion;
    },
  });
  const imports = new ImportService(
    Object.fromEntries(FOLDER_LINK_SOURCES.map(({ kind }) => [kind, folderSource])) as Record<FolderLinkSourceKind, typeof folderSource>,
    { start: async (spec) => (calls.started.push(spec), { ...jobState, jobId: spec.jobId, source: spec.source }) },
    { newJobId: () => FAKE_JOB_ID, urlLists: { append: async () => {} }, webhookSecrets },
  );
  const jobs = new JobsService(
    {
      find: async (id, scope) => (id === FAKE_JOB_ID && visible(scope) ? jobRow : undefined),
      page: async (scope, limit) => (calls.jobPageLimits.push(limit), visible(scope) ? [jobRow] : []),
    },
    {
      failedFiles: async () => [{ sourceFileId: '1Broken', name: 'broken.jpg', sourcePath: 'broken.jpg', lastError: 'not_an_image: the bytes are text' }],
      filesPage: async () => [{ id: '1', sourceFileId: '1FakeFile', name: 'photo.webp', sourcePath: 'photo.webp', status: 'done', lastError: null, attempts: 1, imageId: FAKE_IMAGE_ID }],
    },
    { cancel: accepted, retryFailed: accepted },
  );
  const images = new ImagesService(
    {
      findOwned: async (id, ownerId) => (id === FAKE_IMAGE_ID && ownerId === image.ownerId ? image : undefined),
      page: async (filter) => (filter.ownerId === image.ownerId ? [image] : []),
      count: async (filter) => (filter.ownerId === image.ownerId ? 1 : 0),
    },
    {
      open: async (_key, range) => ({
        body: Readable.from([range ? IMAGE_BYTES.subarray(0, 1) : IMAGE_BYTES]),
        length: range ? 1 : IMAGE_BYTES.length,
        contentRange: range ? `bytes 0-0/${IMAGE_BYTES.length}` : undefined,
      }),
    },
  );
  return {
    deps: {
      readiness: new ReadinessService([]),
      imports,
      jobs,
      images,
      imageReads: new ConcurrencyLimit(4),
      appApiToken: FAKE_APP_API_TOKEN,
      accounts,
      signUp: 'open',
      webhookSecrets,
      auth: { oidc: fakeOidc, oidcPendingCookie: { name: 'importer_oidc', maxAgeMs: 600_000 }, limits: { signIn: passThrough, signUp: passThrough }, log: createLogger({ service: 'fake', write: () => {} }) },
    },
    calls,
  };
}
