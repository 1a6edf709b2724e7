import type { Readable } from 'node:stream';
import type { FolderRef, SkippedEntry, SourceFile, SourceKind } from '@importer/contracts';

/** One page of one folder. */
export interface ListPage {
  /** Images to import. */
  files: SourceFile[];
  /** Subfolders, each to be listed in turn (shared links do not list recursively). */
  folders: FolderRef[];
  /** Entries left out, with the reason (Google Docs, non-images, dangling shortcuts). */
  skipped: SkippedEntry[];
  /** Opaque cursor of the next page of this folder; null when this was the last page. */
  nextCursor: string | null;
}

/** A file's bytes as they arrive, never held whole in memory by the source. */
export interface OpenedFile {
  stream: Readable;
  /** Content-Length, when the source sends one. */
  size: number | null;
  contentType: string | null;
}

/**
 * What every source (Google Drive, Dropbox, URL list) offers the lister and transfer services.
 * Implementations retry transient failures and rate limits themselves (through a RequestBudget) and
 * throw a SourceError when they give up, classified so callers know whether to retry, fail the file
 * or fail the job.
 */
export interface ImageSource {
  readonly kind: SourceKind;
  /** Confirms the import's root folder is visible and returns its name; SourceError 'not_found' otherwise. */
  inspectRoot(root: FolderRef): Promise<{ name: string }>;
  /** Lists one page of a folder. `cursor` is null for the first page. */
  listPage(folder: FolderRef, cursor: string | null): Promise<ListPage>;
  /** Opens one file's bytes. */
  openFile(file: SourceFile): Promise<OpenedFile>;
}
