import { inject } from 'vue';
import { type Api, ApiKey } from '../api/index.js';

/** The API modules the app provided (`app.provide(ApiKey, createApi())`); tests provide fakes. */
export function useApi(): Api {
  const api = inject(ApiKey);
  if (!api) throw new Error('No API was provided to the app: call app.provide(ApiKey, createApi()) before mounting.');
  return api;
}
