import type { FolderLinkSourceKind, FolderRef } from '@importer/contracts';
import { dropboxFolderRoot } from './dropbox/dropbox-folder-link.parser.js';
import { driveFolderRoot } from './google-drive/drive-folder-link.parser.js';

/**
 * The folder-link parsers alone: pure functions with no client library behind them, so the web app checks a
 * link as it is typed with the very code the API runs.
 */
export {
  DRIVE_FOLDER_LINK_EXAMPLE,
  DriveFolderLinkError,
  driveFolderRoot,
  parseDriveFolderLink,
  type DriveFolderLink,
  type DriveFolderLinkProblem,
} from './google-drive/drive-folder-link.parser.js';
export {
  DROPBOX_FOLDER_LINK_EXAMPLE,
  DropboxFolderLinkError,
  dropboxFolderRef,
  dropboxFolderRoot,
  parseDropboxFolderLink,
  type DropboxFolderLink,
  type DropboxFolderLinkProblem,
} from './dropbox/dropbox-folder-link.parser.js';

/** Reads a pasted folder link into the import's root folder; throws an Error whose message a person can act on. */
export type FolderLinkParser = (url: string) => FolderRef;

/**
 * The parser of every source whose catalogue entry takes a folder link (see SOURCE_CATALOGUE), and of no other:
 * TypeScript refuses a missing or an extra one.
 */
export const folderLinkParsers: { readonly [K in FolderLinkSourceKind]: FolderLinkParser } = {
  google_drive: driveFolderRoot,
  dropbox: dropboxFolderRoot,
};
