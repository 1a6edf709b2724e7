import { Readable } from 'node:stream';
import { FOLDER_LINK_SOURCES, type FolderLinkSourceKind, type FolderRef, type StartJob } from '@importer/contracts';
import type { ImageRecord, JobSummaryRow } from '@importer/db';
import type { ImageSource } from '@importer/providers';
import type { CommandOutcome } from '../actors/import-job.answers.js';
import type { JobState } from '../actors/import-job.state.js';
import type { ApiDependencies } from '../app.js';
import { ConcurrencyLimit } from '../http/concurrency-limit.js';
import { ImagesService } from '../images/images.service.js';
import { ImportService } from '../imports/import.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ReadinessService } from '../readiness.service.js';
import { WebhookSecrets } from '../webhooks/webhook-secret.js';

/** The one job the fakes hold. */
export const FAKE_JOB_ID = '6f1c2b9e-4d3a-4c5b-8e7f-0a1b2c3d4e5f';
/** The one image the fakes hold, with a preview. */
export const FAKE_IMAGE_ID = '0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a';
export const FAKE_APP_API_TOKEN = 'fake-app-api-token';

const CREATED = new Date('2025-01-02T03:04:05.000Z');
const IMAGE_BYTES = Buffer.from('RIFF\0\0\0\0WEBPVP8 ');

const jobRow: JobSummaryRow = {
  id: FAKE_JOB_ID,
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
};

const image: ImageRecord = {
  id: FAKE_IMAGE_ID,
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

/** A folder source that sees every folder it is given. */
const folderSource = {
  parseFolderLink: (url: string): FolderRef => ({ id: url, path: '' }),
  source: { kind: 'google_drive', inspectRoot: async () => ({ name: 'Fake folder' }) } as Pick<ImageSource, 'kind' | 'inspectRoot'> as ImageSource,
};

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
  const imports = new ImportService(
    Object.fromEntries(FOLDER_LINK_SOURCES.map(({ kind }) => [kind, folderSource])) as Record<FolderLinkSourceKind, typeof folderSource>,
    { start: async (spec) => (calls.started.push(spec), { ...jobState, jobId: spec.jobId, source: spec.source }) },
    { newJobId: () => FAKE_JOB_ID, urlLists: { append: async () => {} }, webhookSecrets: new WebhookSecrets('fake-deployment-secret') },
  );
  const jobs = new JobsService(
    {
      find: async (id) => (id === FAKE_JOB_ID ? jobRow : undefined),
      page: async (limit) => (calls.jobPageLimits.push(limit), [jobRow]),
    },
    {
      failedFiles: async () => [{ sourceFileId: '1Broken', name: 'broken.jpg', sourcePath: 'broken.jpg', lastError: 'not_an_image: the bytes are text' }],
      filesPage: async () => [{ id: '1', sourceFileId: '1FakeFile', name: 'photo.webp', sourcePath: 'photo.webp', status: 'done', lastError: null, attempts: 1, imageId: FAKE_IMAGE_ID }],
    },
    { cancel: accepted, retryFailed: accepted },
  );
  const images = new ImagesService(
    { find: async (id) => (id === FAKE_IMAGE_ID ? image : undefined), page: async () => [image], count: async () => 1 },
    {
      open: async (_key, range) => ({
        body: Readable.from([range ? IMAGE_BYTES.subarray(0, 1) : IMAGE_BYTES]),
        length: range ? 1 : IMAGE_BYTES.length,
        contentRange: range ? `bytes 0-0/${IMAGE_BYTES.length}` : undefined,
      }),
    },
  );
  return {
    deps: { readiness: new ReadinessService([]), imports, jobs, images, imageReads: new ConcurrencyLimit(4), appApiToken: FAKE_APP_API_TOKEN },
    calls,
  };
}
