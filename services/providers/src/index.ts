export type { ImageSource, ListPage, OpenedFile } from './image-source.js';
export { unlimitedBudget, type RequestBudget } from './request-budget.js';
export { SourceError, type SourceErrorKind } from './source-error.js';
export { classifyDriveError, FILE_UNAVAILABLE_REASONS, parseRetryAfter } from './google-drive/drive-errors.js';
export {
  DRIVE_FOLDER_LINK_EXAMPLE,
  DriveFolderLinkError,
  parseDriveFolderLink,
  type DriveFolderLink,
  type DriveFolderLinkProblem,
} from './google-drive/drive-folder-link.parser.js';
export {
  DRIVE_FOLDER_MIME,
  DRIVE_SHORTCUT_MIME,
  DRIVE_SKIP_REASONS,
  GoogleDriveSource,
  type GoogleDriveSourceOptions,
} from './google-drive/google-drive.source.js';
export { DEFAULT_RETRY_OPTIONS, RetryPolicy, type RetryOptions } from './google-drive/retry-policy.js';
export { GoogleEnvSchema, googleSettings, type GoogleSettings } from './google-drive/google-env.js';
