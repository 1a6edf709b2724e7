import { z } from 'zod';
import { SOURCE_KINDS, type SourceKind } from './source-catalogue.js';

/** Where a job's images come from: a kind of the source catalogue. */
export const SourceKindSchema = z.enum(SOURCE_KINDS);

/** A folder to list, as its source names it. Travels in `list-requested` events. */
export const FolderRefSchema = z.object({
  /** The source's folder id (Drive folder id; Dropbox path under the shared link, '/' for its root). */
  id: z.string().min(1),
  /** Drive only: the folder's resource key, needed to list some link-shared folders. */
  resourceKey: z.string().min(1).optional(),
  /** Dropbox only: the shared link the folder is listed through (`shared_link.url`, its rlkey kept). */
  sharedLink: z.string().min(1).optional(),
  /** Path from the import's root folder, for people: '' for the root, 'Holidays/2024' below it. */
  path: z.string(),
});
export type FolderRef = z.infer<typeof FolderRefSchema>;

/** A file found by listing: everything transfer needs to fetch and verify it. Travels in `files-found` events. */
export const SourceFileSchema = z.object({
  /** The source's id of the content (for a Drive shortcut, its target's id). Unique within a source. */
  sourceFileId: z.string().min(1),
  name: z.string(),
  /** Where the file sits, for people, including the name: 'Holidays/2024/IMG_1.jpg'; a URL list's file shows its URL. */
  path: z.string(),
  /** What the source opens the file by when its id is not enough: Dropbox's path under the shared link, a URL list's URL. */
  locator: z.string().min(1).optional(),
  mimeType: z.string(),
  /** Bytes, when the source says. */
  size: z.number().int().nonnegative().nullable(),
  /** Hex md5 the source reports (Drive `md5Checksum`), checked after upload. */
  md5: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
  /** Dropbox `content_hash`, checked after upload. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/).nullable().optional(),
  /** Drive only: the resource key of the file itself, sent when downloading it. */
  resourceKey: z.string().min(1).optional(),
  /** Dropbox only: the shared link the file is downloaded through (its rlkey kept). */
  sharedLink: z.string().min(1).optional(),
  width: z.number().int().positive().nullable().optional(),
  height: z.number().int().positive().nullable().optional(),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

/** Before `sharedLink` existed, a Dropbox folder or file carried its shared link as `resourceKey`. */
function withSharedLink<T extends { resourceKey?: string | undefined; sharedLink?: string | undefined }>(source: SourceKind, ref: T): T {
  if (source !== 'dropbox' || ref.sharedLink || !ref.resourceKey) return ref;
  const { resourceKey, ...rest } = ref;
  return { ...rest, sharedLink: resourceKey } as T;
}

/** A FolderRef as it was sent before `sharedLink` existed (a request still in flight), read as it is meant now. A current one comes back as it is. */
export function currentFolderRef(source: SourceKind, folder: FolderRef): FolderRef {
  return withSharedLink(source, folder);
}

/** Before `locator` existed, Dropbox and URL-list files were opened by their `path`: '/' + path under the link, the URL. */
function withLocator(source: SourceKind, file: SourceFile): SourceFile {
  if (file.locator) return file;
  if (source === 'dropbox') return { ...file, locator: `/${file.path}` };
  if (source === 'url') return { ...file, locator: file.path };
  return file;
}

/**
 * A SourceFile as it was written before `sharedLink` and `locator` existed (a ledger row, a message still in flight),
 * read as it is meant now. A current one comes back as it is.
 */
export function currentSourceFile(source: SourceKind, file: SourceFile): SourceFile {
  return withLocator(source, withSharedLink(source, file));
}

/** Something listing met and left out, with why: a Google Doc, a non-image, a dangling shortcut. */
export const SkippedEntrySchema = z.object({
  sourceFileId: z.string().min(1),
  name: z.string(),
  path: z.string(),
  mimeType: z.string().nullable(),
  reason: z.string(),
});
export type SkippedEntry = z.infer<typeof SkippedEntrySchema>;
