/**
 * The folder-link parsers alone: pure functions with no client library behind them, so the web app checks a
 * link as it is typed with the very code the API runs.
 */
export {
  DRIVE_FOLDER_LINK_EXAMPLE,
  DriveFolderLinkError,
  parseDriveFolderLink,
  type DriveFolderLink,
  type DriveFolderLinkProblem,
} from './google-drive/drive-folder-link.parser.js';
export {
  DROPBOX_FOLDER_LINK_EXAMPLE,
  DropboxFolderLinkError,
  parseDropboxFolderLink,
  type DropboxFolderLink,
  type DropboxFolderLinkProblem,
} from './dropbox/dropbox-folder-link.parser.js';
