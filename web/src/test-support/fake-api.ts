import { createPinia, setActivePinia } from 'pinia';
import { createApp } from 'vue';
import type { Image, JobDetail, JobSummary } from '@importer/contracts';
import { type Api, ApiKey } from '../api/index.js';

/** An API whose every method fails unless the test gives it an answer: a call the test did not expect shows up. */
export function fakeApi(overrides: { imports?: Partial<Api['imports']>; jobs?: Partial<Api['jobs']>; images?: Partial<Api['images']> } = {}): Api {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call to ${name}`));
  return {
    imports: { importFolder: unexpected('imports.importFolder'), importUrls: unexpected('imports.importUrls'), importCsv: unexpected('imports.importCsv'), ...overrides.imports },
    jobs: { list: unexpected('jobs.list'), get: unexpected('jobs.get'), cancel: unexpected('jobs.cancel'), retry: unexpected('jobs.retry'), ...overrides.jobs },
    images: { list: unexpected('images.list'), ...overrides.images },
  };
}

/** Pinia inside an app that provides `api`, as main.ts wires it, for testing stores without mounting. */
export function installStores(api: Api): void {
  const app = createApp({});
  app.provide(ApiKey, api);
  const pinia = createPinia();
  app.use(pinia);
  setActivePinia(pinia);
}

export function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    job_id: '11111111-1111-4111-8111-111111111111',
    status: 'running',
    source: 'google_drive',
    folder_url: 'https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp',
    total_files: 100,
    processed_files: 10,
    failed_files: 0,
    skipped_files: 0,
    bytes: 10_240,
    progress_percent: 10,
    error: null,
    created_at: '2026-11-21T10:00:00.000Z',
    finished_at: null,
    ...overrides,
  };
}

export function jobDetail(overrides: Partial<JobDetail> = {}): JobDetail {
  return { ...job(overrides), errors: overrides.errors ?? [] };
}

export function image(n: number, overrides: Partial<Image> = {}): Image {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    name: `photo_${n}.png`,
    google_drive_id: `drive-${n}`,
    source: 'google_drive',
    source_file_id: `drive-${n}`,
    size: 1000 + n,
    mime_type: 'image/png',
    storage_path: `google_drive/${n}`,
    url: `/api/images/${id}/content`,
    thumbnail_url: `/api/images/${id}/content`,
    width: 40,
    height: 30,
    job_id: null,
    created_at: '2026-11-21T10:00:00.000Z',
    ...overrides,
  };
}

/** A promise the test settles when it chooses, to look at the state in between. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
