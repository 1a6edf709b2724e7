import type { FolderRef } from '@importer/contracts';

/** A Dropbox shared folder as its link names it. */
export interface DropboxFolderLink {
  /**
   * The link as the API takes it (`shared_link.url`): https://www.dropbox.com, the link's path, and its `rlkey`
   * (which grants access) kept; `dl`, `st`, `e` and tracking parameters dropped.
   */
  url: string;
  /** Path under the link's root folder that the link points into ('' for the root; '/sub' for `/scl/fo/<id>/<key>/sub`). */
  startPath: string;
}

/** What was wrong with a pasted link. */
export type DropboxFolderLinkProblem = 'not_a_link' | 'not_dropbox' | 'file_link' | 'no_folder' | 'missing_rlkey' | 'bad_rlkey';

/** What a folder link looks like, for messages people read. */
export const DROPBOX_FOLDER_LINK_EXAMPLE = 'https://www.dropbox.com/scl/fo/<id>/<key>?rlkey=<rlkey>';

/** A pasted string that is not a usable Dropbox shared-folder link; the message says why and what to paste. */
export class DropboxFolderLinkError extends Error {
  override readonly name = 'DropboxFolderLinkError';

  constructor(
    readonly problem: DropboxFolderLinkProblem,
    message: string,
  ) {
    super(`${message} A Dropbox shared-folder link looks like ${DROPBOX_FOLDER_LINK_EXAMPLE} (in Dropbox: Share → Copy link, on the folder).`);
  }
}

/** Hosts a shared link is served from, direct-download variants included (provider-apis.md B7). */
const DROPBOX_HOSTS = new Set(['www.dropbox.com', 'dropbox.com', 'dl.dropbox.com', 'dl.dropboxusercontent.com', 'dl-web.dropbox.com']);
const SEGMENT = /^[A-Za-z0-9_-]{1,128}$/;
const RLKEY = /^[A-Za-z0-9_-]{1,128}$/;

function toUrl(input: string): URL {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : /^(www\.|dl\.)?dropbox(usercontent)?\.com\//i.test(text) ? `https://${text}` : null;
  if (withScheme && URL.canParse(withScheme)) {
    const url = new URL(withScheme);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  }
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  throw new DropboxFolderLinkError('not_a_link', `"${shown}" is not a link.`);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Reads a Dropbox shared-folder link in every form people paste (provider-apis.md B7): legacy `/sh/<id>/<key>`,
 * `/scl/fo/<id>/<key>?rlkey=` (the key may be a literal `h`; parameters in any order; `st=`, `e=`, `dl=` dropped;
 * an extra sub-path after the key names a folder inside the link), on www., bare, dl. and dl.dropboxusercontent
 * hosts. The `rlkey` is kept: it is what grants access. Single-file links (`/s/`, `/scl/fi/`) and other sites
 * throw a DropboxFolderLinkError.
 */
export function parseDropboxFolderLink(input: string): DropboxFolderLink {
  const url = toUrl(input);
  const host = url.hostname.toLowerCase();
  if (!DROPBOX_HOSTS.has(host)) throw new DropboxFolderLinkError('not_dropbox', `This link goes to ${host}, not to Dropbox.`);
  const segments = url.pathname.split('/').filter(Boolean).map(decode);
  const [first, second] = segments;
  if (first === 's' || (first === 'scl' && second === 'fi')) {
    throw new DropboxFolderLinkError('file_link', 'This is a link to a single file, not to a folder.');
  }
  let linkSegments: string[];
  let rest: string[];
  if (first === 'sh') {
    linkSegments = segments.slice(0, 3);
    rest = segments.slice(3);
  } else if (first === 'scl' && second === 'fo') {
    linkSegments = segments.slice(0, 4);
    rest = segments.slice(4);
  } else {
    throw new DropboxFolderLinkError('no_folder', 'This Dropbox link does not name a shared folder.');
  }
  const [, ...ids] = first === 'sh' ? linkSegments : linkSegments.slice(1);
  if (ids.length < 2 || !ids.every((s) => SEGMENT.test(s))) {
    throw new DropboxFolderLinkError('no_folder', 'This Dropbox link is cut short: the folder id or its key is missing; copy the whole link again.');
  }
  const rlkeys = [...url.searchParams].filter(([key]) => key.toLowerCase() === 'rlkey').map(([, value]) => value);
  const rlkey = rlkeys[0];
  if (first === 'scl' && (rlkey === undefined || rlkey === '')) {
    throw new DropboxFolderLinkError('missing_rlkey', 'This link has lost its rlkey parameter, which is what grants access to the folder; copy the whole link again.');
  }
  if (rlkey !== undefined && !RLKEY.test(rlkey)) {
    throw new DropboxFolderLinkError('bad_rlkey', "The link's rlkey is damaged; copy the whole link again.");
  }
  const path = `/${linkSegments.map(encodeURIComponent).join('/')}`;
  return {
    url: `https://www.dropbox.com${path}${rlkey ? `?rlkey=${rlkey}` : ''}`,
    startPath: rest.length ? `/${rest.join('/')}` : '',
  };
}

/** A FolderRef for a folder `path` under the shared link `url` ('' for its root). */
export function dropboxFolderRef(url: string, path: string): FolderRef {
  return { id: path === '' ? '/' : path, path: path.replace(/^\//, ''), sharedLink: url };
}

/** A pasted shared-folder link read into the import's root folder: the folder the link points into. */
export function dropboxFolderRoot(input: string): FolderRef {
  const link = parseDropboxFolderLink(input);
  return dropboxFolderRef(link.url, link.startPath);
}
