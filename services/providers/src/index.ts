export type { ImageSource, ListPage, OpenedFile, OpenFileOptions } from './image-source.js';
export { unlimitedBudget, type RequestBudget } from './request-budget.js';
export { SourceError, type SourceErrorKind } from './source-error.js';
export { classifyDriveError, FILE_UNAVAILABLE_REASONS } from './google-drive/drive-errors.js';
export { parseRetryAfter } from './error-facts.js';
export * from './links.js';
export {
  DRIVE_FOLDER_MIME,
  DRIVE_SHORTCUT_MIME,
  DRIVE_SKIP_REASONS,
  GoogleDriveSource,
  type GoogleDriveSourceOptions,
} from './google-drive/google-drive.source.js';
export { DEFAULT_RETRY_OPTIONS, RetryPolicy, type RetryOptions } from './retry-policy.js';
export { GoogleEnvSchema, googleSettings, type GoogleSettings } from './google-drive/google-env.js';
export { CONTENT_HASH_BLOCK_SIZE, ContentHasher, contentHash, verifyContentHash } from './dropbox/content-hash.js';
export { classifyDropboxError, errorTagPath } from './dropbox/dropbox-errors.js';
export {
  DROPBOX_SKIP_REASONS,
  DropboxSource,
  dropboxApiPath,
  headerSafeJson,
  type DropboxAuthSettings,
  type DropboxSourceOptions,
} from './dropbox/dropbox.source.js';
export { DropboxEnvSchema, dropboxSettings, refineDropboxEnv, type DropboxEnv, type DropboxSettings } from './dropbox/dropbox-env.js';
export {
  createImageSources,
  refineSourcesEnv,
  SourcesEnvSchema,
  sourceSettings,
  type ImageSources,
  type SourceSettings,
  type SourcesEnv,
} from './image-sources.js';
export { blockedAddressKind, type BlockedAddressKind } from './urls/address-guard.js';
export { guardedFetch, httpStatusError, type GuardedRequest, type GuardedResponse, type UrlGuardOptions } from './urls/guarded-fetch.js';
export { UrlImportEnvSchema, urlImportSettings, type UrlImportSettings } from './urls/url-env.js';
export {
  normaliseImageUrl,
  URL_SKIP_REASONS,
  UrlListSource,
  urlSourceFileId,
  type UrlListEntry,
  type UrlListReader,
  type UrlListSourceOptions,
} from './urls/url-list.source.js';
