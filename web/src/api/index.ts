import type { InjectionKey } from 'vue';
import { createHttpClient, type HttpClient } from './http-client.js';
import { type ImagesApi, imagesApi } from './images.api.js';
import { type ImportsApi, importsApi } from './imports.api.js';
import { type JobsApi, jobsApi } from './jobs.api.js';

export { ApiRequestError } from './http-client.js';
export type { FolderSource } from './imports.api.js';
export type { ImageQuery } from './images.api.js';

/** Every typed API module; the app provides one, tests provide fakes. */
export interface Api {
  imports: ImportsApi;
  jobs: JobsApi;
  images: ImagesApi;
}

export function createApi(http: HttpClient = createHttpClient()): Api {
  return { imports: importsApi(http), jobs: jobsApi(http), images: imagesApi(http) };
}

export const ApiKey: InjectionKey<Api> = Symbol('api');
