import type { FolderRef } from '@importer/contracts';

/** A Google Drive folder as a shared link names it. */
export interface DriveFolderLink {
  folderId: string;
  /** The link's `resourcekey`, needed to reach some folders shared before 2021. */
  resourceKey?: string;
}

/** What was wrong with a pasted link. */
export type DriveFolderLinkProblem = 'not_a_link' | 'not_google_drive' | 'file_link' | 'no_folder_id' | 'bad_folder_id' | 'bad_resource_key';

/** What a folder link looks like, for messages people read. */
export const DRIVE_FOLDER_LINK_EXAMPLE = 'https://drive.google.com/drive/folders/<folder id>';

/** A pasted string that is not a usable Google Drive folder link; the message says why and what to paste. */
export class DriveFolderLinkError extends Error {
  override readonly name = 'DriveFolderLinkError';

  constructor(
    readonly problem: DriveFolderLinkProblem,
    message: string,
  ) {
    super(`${message} A Google Drive folder link looks like ${DRIVE_FOLDER_LINK_EXAMPLE} (open the folder in Google Drive, Share → Copy link).`);
  }
}

const ID = /^[A-Za-z0-9_-]{10,}$/;
const RESOURCE_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const DRIVE_HOSTS = new Set(['drive.google.com', 'www.drive.google.com']);
const DOCS_KINDS: Record<string, string> = {
  document: 'a Google Docs document',
  spreadsheets: 'a Google Sheets spreadsheet',
  presentation: 'a Google Slides presentation',
  forms: 'a Google Form',
  drawings: 'a Google Drawing',
  file: 'a single file',
};
/** Paths whose `id` query parameter names a folder (legacy and embedded views). */
const ID_PARAM_PATHS = new Set(['/open', '/folderview', '/embeddedfolderview', '/drive/folderview']);

function queryParam(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name) return value;
  return undefined;
}

function toUrl(input: string): URL {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^(www\.)?(drive|docs)\.google\.com\//i.test(text) ? `https://${text}` : null;
  if (withScheme && URL.canParse(withScheme)) {
    const url = new URL(withScheme);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  }
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  throw new DriveFolderLinkError('not_a_link', `"${shown}" is not a link.`);
}

function folderIdFromPath(segments: string[]): string | undefined {
  const at = segments.indexOf('folders');
  if (at !== -1) return segments[at + 1];
  // drive.google.com/drive/my-drive/<id>, seen in the wild though rare.
  if (segments[0] === 'drive' && segments[1] === 'my-drive') return segments[2];
  return undefined;
}

/**
 * Reads the folder id and resource key from any folder link form people paste: `/drive/folders/ID`,
 * `/drive/u/N/folders/ID`, `/drive/mobile/folders/ID`, `open?id=`, `folderview?id=`, `embeddedfolderview?id=`,
 * with tracking parameters (`usp`, `fbclid`, `hl`) and fragments (`#list`) ignored. Throws a
 * DriveFolderLinkError for anything else: a file or Google Docs link, another site, a non-link.
 */
export function parseDriveFolderLink(input: string): DriveFolderLink {
  const url = toUrl(input);
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (host === 'docs.google.com') {
    const kind = DOCS_KINDS[segments[0] ?? ''];
    throw new DriveFolderLinkError('file_link', `This is a link to ${kind ?? 'a Google Docs file'}, not to a folder.`);
  }
  if (!DRIVE_HOSTS.has(host)) {
    throw new DriveFolderLinkError('not_google_drive', `This link goes to ${host}, not to Google Drive.`);
  }
  if (segments[0] === 'file' || segments[0] === 'uc' || (segments[0] === 'drive' && segments[1] === 'file')) {
    throw new DriveFolderLinkError('file_link', 'This is a link to a single file, not to a folder.');
  }

  const path = `/${segments.join('/')}`;
  const folderId = folderIdFromPath(segments) ?? (ID_PARAM_PATHS.has(path) ? queryParam(url, 'id') : undefined);
  if (folderId === undefined || folderId === '') {
    throw new DriveFolderLinkError('no_folder_id', 'This Google Drive link does not name a folder.');
  }
  if (!ID.test(folderId)) {
    const shown = folderId.length > 40 ? `${folderId.slice(0, 37)}...` : folderId;
    throw new DriveFolderLinkError('bad_folder_id', `"${shown}" is not a Google Drive folder id (ids are at least 10 letters, digits, "-" or "_").`);
  }
  const resourceKey = queryParam(url, 'resourcekey');
  if (resourceKey && !RESOURCE_KEY.test(resourceKey)) {
    throw new DriveFolderLinkError('bad_resource_key', 'The link\'s resourcekey is damaged; copy the whole link again.');
  }
  return resourceKey ? { folderId, resourceKey } : { folderId };
}

/** A pasted folder link read into the import's root folder, its resource key kept. */
export function driveFolderRoot(input: string): FolderRef {
  const link = parseDriveFolderLink(input);
  return { id: link.folderId, path: '', ...(link.resourceKey ? { resourceKey: link.resourceKey } : {}) };
}
