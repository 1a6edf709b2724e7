import type { InjectionKey } from 'vue';
import { type AccountsApi, accountsApi } from './accounts.api.js';
import { createHttpClient, type HttpClient } from './http-client.js';
import { type ImagesApi, imagesApi } from './images.api.js';
import { type ImportsApi, importsApi } from './imports.api.js';
import { type JobsApi, jobsApi } from './jobs.api.js';
import { type UsersApi, usersApi } from './users.api.js';

export { ApiRequestError, UNAUTHENTICATED } from './http-client.js';
export type { FolderSource } from './imports.api.js';
export type { ImageQuery } from './images.api.js';
export type { Credentials } from './accounts.api.js';
export type { NewUser } from './users.api.js';

/** Every typed API module; the app provides one, tests provide fakes. */
export interface Api {
  imports: ImportsApi;
  jobs: JobsApi;
  images: ImagesApi;
  accounts: AccountsApi;
  users: UsersApi;
}

export function createApi(http: HttpClient = createHttpClient()): Api {
  return { imports: importsApi(http), jobs: jobsApi(http), images: imagesApi(http), accounts: accountsApi(http), users: usersApi(http) };
}

export const ApiKey: InjectionKey<Api> = Symbol('api');
