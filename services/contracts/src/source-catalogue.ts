import { MAX_URL_LINE_LENGTH, MAX_URLS_PER_IMPORT, PUBLIC_JSON_MAX_BYTES, URL_LIST_CSV_MAX_BYTES } from './limits.js';

const MB = 1024 * 1024;

/** The statuses an import route may answer besides its 202 (the 500 every route can give is added by the document). */
export type ImportErrorStatus = 400 | 403 | 404 | 413 | 415 | 501 | 502 | 503;

/** How the web app asks for a folder link of a source whose imports start from one. */
export interface FolderLinkInput {
  /** Shown in the empty field: what such a link looks like. */
  readonly placeholder: string;
  /** Shown under the field: what the folder must be, and what is imported. */
  readonly help: string;
}

/** A source's import operation in the OpenAPI document. */
export interface ImportDoc {
  readonly summary: string;
  readonly description: string;
  /**
   * What this source's route answers that another's does not, by status: 400 and 501 always (501 without the
   * webhook clause every import shares). A folder-link import also answers the 413, 502 and 503 the document adds.
   */
  readonly errors: Readonly<{ 400: string; 501: string } & Partial<Record<ImportErrorStatus, string>>>;
}

/** One source, as everything outside its own folder in services/providers knows it. */
export interface SourceEntry<K extends string = SourceKind, R extends `import${string}` = SourceRouteName> {
  readonly kind: K;
  /** What people call it, everywhere: the web app's tabs, filters and job cards, the API's messages, the document. */
  readonly label: string;
  /** The name of the route that starts an import from it: the public route table adds it, as a POST of `path`. */
  readonly route: R;
  /** That route's path. */
  readonly path: `/import/${string}`;
  /** The largest body that route takes, when it is not a public JSON body's (see `maxBodyBytes` in public-api.ts). */
  readonly maxBodyBytes?: number;
  /** The api setting (environment variable) capping its requests per second for the whole deployment. */
  readonly rateSetting: `${string}_REQUESTS_PER_SECOND`;
  /** That setting's value when it is not set. */
  readonly defaultRequestsPerSecond: number;
  /** Its imports start from a pasted folder link, read by the source's parser in services/providers; null for a list of URLs. */
  readonly folderLink: FolderLinkInput | null;
  readonly importDoc: ImportDoc;
}

/**
 * Every source, by kind: one entry each, read by the api's import routes, its OpenAPI document and request budgets,
 * and by the web app's labels, tabs and filters. Its keys are the source kinds (SourceKindSchema), in this order.
 */
export const SOURCE_CATALOGUE = {
  google_drive: {
    kind: 'google_drive',
    label: 'Google Drive',
    route: 'importGoogleDrive',
    path: '/import/google-drive',
    rateSetting: 'GOOGLE_REQUESTS_PER_SECOND',
    // Drive allows about 200.
    defaultRequestsPerSecond: 150,
    folderLink: {
      placeholder: 'https://drive.google.com/drive/folders/…',
      help: 'A folder shared as "Anyone with the link". Subfolders are imported too.',
    },
    importDoc: {
      summary: 'Import a public Google Drive folder',
      description: 'Every link form people paste (/drive/folders/ID, /drive/u/N/…, open?id=, folderview?id=, resourcekey=); the folder itself is asked for before any job exists.',
      errors: {
        400: 'Not a folder link, or a malformed body',
        403: 'Drive has the folder but does not let this server read it',
        404: 'The folder does not exist or is not shared as "Anyone with the link"',
        501: 'Google Drive is not set up on this server (no GOOGLE_API_KEY)',
      },
    },
  },
  dropbox: {
    kind: 'dropbox',
    label: 'Dropbox',
    route: 'importDropbox',
    path: '/import/dropbox',
    rateSetting: 'DROPBOX_REQUESTS_PER_SECOND',
    // Dropbox publishes no figure; it answers 429 with Retry-After.
    defaultRequestsPerSecond: 50,
    folderLink: {
      placeholder: 'https://www.dropbox.com/scl/fo/…?rlkey=…',
      help: 'A shared folder link ("Copy link" in Dropbox), with its rlkey. Subfolders are imported too.',
    },
    importDoc: {
      summary: 'Import a Dropbox shared folder',
      description: 'Any shared-folder link form: /scl/fo/…?rlkey=…, legacy /sh/…, dl= and st= variants, a sub-path into the folder.',
      errors: {
        400: 'Not a shared-folder link (a single file, another site, an rlkey missing), or a malformed body',
        403: 'The link exists but does not let this server read the folder (an rlkey of another link, a password, a team-only link)',
        404: 'The shared link does not exist or no longer grants access',
        501: 'Dropbox is not set up on this server (no DROPBOX_ACCESS_TOKEN or DROPBOX_APP_KEY/SECRET)',
      },
    },
  },
  url: {
    kind: 'url',
    label: 'Image URLs',
    route: 'importUrls',
    path: '/import/urls',
    maxBodyBytes: URL_LIST_CSV_MAX_BYTES,
    rateSetting: 'URL_REQUESTS_PER_SECOND',
    // All hosts together.
    defaultRequestsPerSecond: 100,
    folderLink: null,
    importDoc: {
      summary: `Import a list of image URLs: JSON, a CSV body, or a CSV file upload (up to ${MAX_URLS_PER_IMPORT.toLocaleString('en')} lines, header optional)`,
      description:
        'Each URL gets its own outcome: imported, failed with a reason (http_404, not_an_image, blocked_address, too_large, ...) or skipped (invalid_url). ' +
        'Private, loopback and link-local addresses are refused after DNS resolution and on every redirect, unless the host is in URL_IMPORT_ALLOWED_HOSTS. ' +
        'With a CSV, webhook_url is a form field before the file, or a query parameter.',
      errors: {
        400: 'No URLs, a malformed body, or a multipart form without a file',
        413:
          `More than ${MAX_URLS_PER_IMPORT.toLocaleString('en')} URLs, a JSON body over ${PUBLIC_JSON_MAX_BYTES / MB} MB, ` +
          `a CSV over ${URL_LIST_CSV_MAX_BYTES / MB} MB, or a line over ${MAX_URL_LINE_LENGTH.toLocaleString('en')} characters`,
        415: 'Neither JSON, CSV nor a multipart upload',
        501: 'URL lists are not set up on this server',
      },
    },
  },
} as const satisfies { readonly [kind: string]: SourceEntry<string, `import${string}`> };

type Catalogue = typeof SOURCE_CATALOGUE;

/** Where a job's images come from: a key of the catalogue. */
export type SourceKind = keyof Catalogue;

/** Every kind, in the catalogue's order: the order of the web app's tabs and filters. */
export const SOURCE_KINDS = Object.keys(SOURCE_CATALOGUE) as [SourceKind, ...SourceKind[]];

/** The sources whose imports start from a folder link (their entry's `folderLink` is not null). */
export type FolderLinkSourceKind = { [K in SourceKind]: Catalogue[K]['folderLink'] extends null ? never : K }[SourceKind];

/** An entry of a source whose imports start from a folder link. */
export type FolderLinkSourceEntry = SourceEntry<FolderLinkSourceKind> & { readonly folderLink: FolderLinkInput };

/** The route names of the sources' imports, so the document can tell them from the other routes. */
export type SourceRouteName = Catalogue[SourceKind]['route'];

/** The rate settings the entries name: the api reads each one. */
export type SourceRateSetting = Catalogue[SourceKind]['rateSetting'];

/** Every entry, in the catalogue's order. */
export const SOURCE_ENTRIES: readonly SourceEntry[] = SOURCE_KINDS.map((kind): SourceEntry => SOURCE_CATALOGUE[kind]);

/** True for a source whose imports start from a folder link. */
export function isFolderLinkSource(kind: SourceKind): kind is FolderLinkSourceKind {
  return SOURCE_CATALOGUE[kind].folderLink !== null;
}

/** The entries whose imports start from a folder link, in the catalogue's order. */
export const FOLDER_LINK_SOURCES: readonly FolderLinkSourceEntry[] = SOURCE_ENTRIES.filter(
  (entry): entry is FolderLinkSourceEntry => entry.folderLink !== null && isFolderLinkSource(entry.kind),
);

/** The entry of a kind known only as a string (an actor id, a query parameter); throws for one the catalogue lacks. */
export function sourceEntry(kind: string): Catalogue[SourceKind] {
  if (!Object.hasOwn(SOURCE_CATALOGUE, kind)) throw new Error(`"${kind}" is not a source of the catalogue (${SOURCE_KINDS.join(', ')})`);
  return SOURCE_CATALOGUE[kind as SourceKind];
}

/** What people call the source. */
export function sourceLabel(kind: SourceKind): string {
  return SOURCE_CATALOGUE[kind].label;
}
