import { createPinia, setActivePinia } from 'pinia';
import { createApp } from 'vue';
import type { AccountBody, ApiKeyBody, AuthStatus, Image, JobDetail, JobSummary } from '@importer/contracts';
import { type Api, ApiKey } from '../api/index.js';

type Overrides = { [K in keyof Api]?: Partial<Api[K]> };

/** An API whose every method fails unless the test gives it an answer: a call the test did not expect shows up. */
export function fakeApi(overrides: Overrides = {}): Api {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call to ${name}`));
  return {
    imports: { importFolder: unexpected('imports.importFolder'), importUrls: unexpected('imports.importUrls'), importCsv: unexpected('imports.importCsv'), ...overrides.imports },
    jobs: { list: unexpected('jobs.list'), get: unexpected('jobs.get'), cancel: unexpected('jobs.cancel'), retry: unexpected('jobs.retry'), ...overrides.jobs },
    images: { list: unexpected('images.list'), ...overrides.images },
    accounts: {
      status: unexpected('accounts.status'),
      setup: unexpected('accounts.setup'),
      signIn: unexpected('accounts.signIn'),
      signUp: unexpected('accounts.signUp'),
      signOut: unexpected('accounts.signOut'),
      oidcStartUrl: (startPath) => `/api${startPath}`,
      me: unexpected('accounts.me'),
      changePassword: unexpected('accounts.changePassword'),
      listApiKeys: unexpected('accounts.listApiKeys'),
      createApiKey: unexpected('accounts.createApiKey'),
      revokeApiKey: unexpected('accounts.revokeApiKey'),
      webhookSecret: unexpected('accounts.webhookSecret'),
      rotateWebhookSecret: unexpected('accounts.rotateWebhookSecret'),
      ...overrides.accounts,
    },
    users: { list: unexpected('users.list'), create: unexpected('users.create'), disable: unexpected('users.disable'), enable: unexpected('users.enable'), ...overrides.users },
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

export function account(overrides: Partial<AccountBody> = {}): AccountBody {
  return {
    id: '99999999-9999-4999-8999-999999999999',
    email: 'ada@example.com',
    role: 'user',
    has_password: true,
    disabled_at: null,
    created_at: '2026-11-20T09:00:00.000Z',
    ...overrides,
  };
}

export const admin = (overrides: Partial<AccountBody> = {}): AccountBody =>
  account({ id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', email: 'root@example.com', role: 'admin', ...overrides });

/** `GET /auth/status` of a set-up server with sign-up closed, no OIDC and nobody signed in. */
export function authStatus(overrides: Partial<AuthStatus> = {}): AuthStatus {
  return { setup_required: false, sign_up: 'closed', oidc: null, user: null, ...overrides };
}

export function apiKey(n: number, overrides: Partial<ApiKeyBody> = {}): ApiKeyBody {
  return {
    id: `bbbbbbbb-bbbb-4bbb-8bbb-${String(n).padStart(12, '0')}`,
    name: `key ${n}`,
    prefix: `imp_k${n}`,
    created_at: '2026-11-21T09:00:00.000Z',
    last_used_at: null,
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
