import { pipeline } from 'node:stream';
import type { FolderRef, SkippedEntry, SourceFile } from '@importer/contracts';
import { Dropbox } from 'dropbox';
import { z } from 'zod';
import { abortableRetry, type ImageSource, type ListPage, type OpenedFile, type OpenFileOptions } from '../image-source.js';
import type { RequestBudget } from '../request-budget.js';
import { RetryPolicy, type RetryOptions } from '../retry-policy.js';
import { SourceError } from '../source-error.js';
import { fetchedFile, inspectRetryPolicy, inspectTimeoutMs, locatorOf, parseResponse } from '../source-http.js';
import { verifyContentHash } from './content-hash.js';
import { classifyDropboxError } from './dropbox-errors.js';
import { dropboxFolderRef } from './dropbox-folder-link.parser.js';

/** Where the SDK sends requests; a custom fetch maps them to DROPBOX_API_URL / DROPBOX_CONTENT_URL (which may be http://). */
const SDK_API_ORIGIN = 'https://api.dropboxapi.com';
const SDK_CONTENT_ORIGIN = 'https://content.dropboxapi.com';

/** Why a listed entry is not imported (SkippedEntry.reason). */
export const DROPBOX_SKIP_REASONS = {
  /** The name's extension is not one of an image format. Dropbox reports no MIME type. */
  notAnImage: 'not_an_image',
  /** `is_downloadable: false` (a Google Doc or a Paper doc in the folder, say). */
  notDownloadable: 'not_downloadable',
} as const;

/** Image formats by extension, since Dropbox lists no MIME types; transfer checks the bytes anyway. */
const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  jfif: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/** The credentials: a user's access token, or the app's key and secret (app authentication, HTTP Basic). */
export type DropboxAuthSettings = { accessToken: string } | { appKey: string; appSecret: string };

export interface DropboxSourceOptions {
  auth: DropboxAuthSettings;
  /** `https://api.dropboxapi.com` (the default) or an emulator. */
  apiUrl?: string;
  /** `https://content.dropboxapi.com` (the default) or an emulator. */
  contentUrl?: string;
  budget: RequestBudget;
  /** list_folder `limit`, 1-2000 (approximate on Dropbox's side). Default 2000. */
  pageSize?: number;
  retry?: Partial<RetryOptions>;
  /** Deadline of one listing request. Default 60 s. Downloads have none of their own: the caller's signal ends them. */
  requestTimeoutMs?: number;
}

const FileEntrySchema = z
  .object({
    '.tag': z.literal('file'),
    id: z.string().min(1),
    name: z.string().min(1),
    size: z.number().int().nonnegative().nullish(),
    content_hash: z.string().nullish(),
    is_downloadable: z.boolean().nullish(),
  })
  .loose();
const FolderEntrySchema = z.object({ '.tag': z.literal('folder'), id: z.string().nullish(), name: z.string().min(1) }).loose();
const OtherEntrySchema = z.object({ '.tag': z.string() }).loose();
const EntrySchema = z.union([FileEntrySchema, FolderEntrySchema, OtherEntrySchema]);
const ListFolderResultSchema = z.object({ entries: z.array(EntrySchema), cursor: z.string(), has_more: z.boolean() });
const LinkMetadataSchema = z.object({ '.tag': z.string(), name: z.string() }).loose();

/** The folder's path under the shared link, as the API takes it: '' for the link's root. */
export function dropboxApiPath(folder: FolderRef): string {
  return folder.id === '/' ? '' : folder.id;
}

/** JSON safe for an HTTP header: every character from U+007F on escaped, as the SDK does (`httpHeaderSafeJson`). */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A non-2xx answer to a plain download request, shaped like the SDK's DropboxResponseError. */
class DropboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly error: unknown,
  ) {
    super(`Dropbox answered ${status}`);
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function linkOf(ref: { sharedLink?: string | undefined }): string {
  if (!ref.sharedLink) throw new SourceError('fatal', 'no_shared_link', 'This Dropbox item does not carry its shared link.');
  return ref.sharedLink;
}

/**
 * Dropbox shared folders behind ImageSource. Listing goes through the official `dropbox` SDK (list_folder, then
 * list_folder/continue); shared links do not list recursively, so each subfolder is its own FolderRef, named by its
 * path under the link. Every FolderRef and SourceFile carries the shared link (rlkey kept) as its `sharedLink`, and
 * every SourceFile its path under that link as its `locator`.
 * Downloads use sharing/get_shared_link_file with a plain fetch, so bytes stream instead of being buffered whole
 * by the SDK, and are checked against the listed `content_hash` as they pass. Errors come out as SourceError.
 */
export class DropboxSource implements ImageSource {
  readonly kind = 'dropbox' as const;
  private readonly client: Dropbox;
  private readonly retry: RetryPolicy;
  /** For the API's check of a pasted link: a person is waiting, so fewer and shorter attempts. */
  private readonly inspectRetry: RetryPolicy;
  private readonly apiUrl: string;
  private readonly contentUrl: string;
  private readonly pageSize: number;
  private readonly timeout: number;
  private readonly authorization: string;
  private readonly budget: RequestBudget;
  private readonly retryOptions: Partial<RetryOptions>;

  constructor(options: DropboxSourceOptions) {
    this.apiUrl = trimSlash(options.apiUrl ?? SDK_API_ORIGIN);
    this.contentUrl = trimSlash(options.contentUrl ?? SDK_CONTENT_ORIGIN);
    this.pageSize = options.pageSize ?? 2000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 2000) throw new Error(`pageSize must be 1-2000, not ${this.pageSize}`);
    this.timeout = options.requestTimeoutMs ?? 60_000;
    const { auth } = options;
    this.authorization =
      'accessToken' in auth ? `Bearer ${auth.accessToken}` : `Basic ${Buffer.from(`${auth.appKey}:${auth.appSecret}`).toString('base64')}`;
    // The SDK builds https:// URLs only; this fetch sends them where the settings say, an http:// emulator included.
    const routed = (url: string, init: RequestInit) => fetch(this.route(url), init);
    this.client = new Dropbox({
      ...('accessToken' in auth ? { accessToken: auth.accessToken } : { clientId: auth.appKey, clientSecret: auth.appSecret }),
      fetch: routed,
    });
    this.budget = options.budget;
    this.retryOptions = options.retry ?? {};
    this.retry = new RetryPolicy(options.budget, (error) => classifyDropboxError(error), options.retry);
    this.inspectRetry = inspectRetryPolicy(options.budget, (error) => classifyDropboxError(error), options.retry);
  }

  async inspectRoot(root: FolderRef): Promise<{ name: string }> {
    const url = linkOf(root);
    const path = dropboxApiPath(root);
    let meta: z.infer<typeof LinkMetadataSchema>;
    try {
      meta = await this.inspectRetry.run(async () => {
        const response = await this.client.sharingGetSharedLinkMetadata({ url, ...(path ? { path } : {}) }, { timeout: inspectTimeoutMs(this.timeout) });
        return parseResponse('dropbox', LinkMetadataSchema, response.result, 'shared link metadata');
      });
    } catch (error) {
      if (error instanceof SourceError && error.kind === 'not_found') {
        throw new SourceError('not_found', error.reason, `Dropbox has no shared folder at this link${path ? ` (under ${path})` : ''}: it was removed, or its access was changed.`, error.details);
      }
      throw error;
    }
    if (meta['.tag'] !== 'folder') {
      throw new SourceError('not_found', 'not_a_folder', `The Dropbox link points to "${meta.name}", which is a ${meta['.tag']}, not a folder.`);
    }
    return { name: meta.name };
  }

  async listPage(folder: FolderRef, cursor: string | null): Promise<ListPage> {
    const url = linkOf(folder);
    const result = await this.retry.run(async () => {
      const response = cursor
        ? await this.client.filesListFolderContinue({ cursor }, { timeout: this.timeout })
        : await this.client.filesListFolder({ path: dropboxApiPath(folder), shared_link: { url }, limit: this.pageSize }, { timeout: this.timeout });
      return parseResponse('dropbox', ListFolderResultSchema, response.result, 'folder listing');
    });
    const page: ListPage = { files: [], folders: [], skipped: [], nextCursor: result.has_more ? result.cursor : null };
    const parentPath = dropboxApiPath(folder);
    for (const entry of result.entries) {
      const apiPath = `${parentPath}/${String(entry.name)}`;
      const file = FileEntrySchema.safeParse(entry);
      if (file.success) {
        const outcome = this.toOutcome(file.data, apiPath, url);
        if ('file' in outcome) page.files.push(outcome.file);
        else page.skipped.push(outcome.skipped);
        continue;
      }
      if (FolderEntrySchema.safeParse(entry).success) page.folders.push(dropboxFolderRef(url, apiPath));
    }
    return page;
  }

  async openFile(file: SourceFile, { signal }: OpenFileOptions = {}): Promise<OpenedFile> {
    signal?.throwIfAborted();
    const url = linkOf(file);
    const arg = headerSafeJson({ url, path: locatorOf('dropbox', file) });
    const retry = signal ? abortableRetry(this.budget, (error) => classifyDropboxError(error), this.retryOptions, signal) : this.retry;
    const response = await retry.run(async () => {
      // The signal also ends the body once it streams: fetch errors it with the signal's reason.
      const answer = await fetch(`${this.contentUrl}/2/sharing/get_shared_link_file`, {
        method: 'POST',
        headers: { Authorization: this.authorization, 'Dropbox-API-Arg': arg },
        signal,
      });
      if (!answer.ok) {
        const text = await answer.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // 400s and some 429s are plain text.
        }
        throw new DropboxHttpError(answer.status, answer.headers, body);
      }
      return answer;
    });
    const opened = fetchedFile('dropbox', response, file.path);
    const expected = file.contentHash;
    if (!expected) return opened;
    const mismatch = (actual: string) =>
      new SourceError('transient', 'checksum_mismatch', `the bytes of ${file.path} hash to content_hash ${actual}, Dropbox listed ${expected}`);
    return { ...opened, stream: pipeline(opened.stream, verifyContentHash(expected, mismatch), () => {}) };
  }

  private route(url: string): string {
    if (url.startsWith(SDK_API_ORIGIN)) return this.apiUrl + url.slice(SDK_API_ORIGIN.length);
    if (url.startsWith(SDK_CONTENT_ORIGIN)) return this.contentUrl + url.slice(SDK_CONTENT_ORIGIN.length);
    return url;
  }

  private toOutcome(entry: z.infer<typeof FileEntrySchema>, apiPath: string, link: string): { file: SourceFile } | { skipped: SkippedEntry } {
    const path = apiPath.replace(/^\//, '');
    const extension = /\.([A-Za-z0-9]+)$/.exec(entry.name)?.[1]?.toLowerCase();
    const mimeType = extension ? IMAGE_TYPES[extension] : undefined;
    const skip = (reason: string): { skipped: SkippedEntry } => ({ skipped: { sourceFileId: entry.id, name: entry.name, path, mimeType: mimeType ?? null, reason } });
    if (entry.is_downloadable === false) return skip(DROPBOX_SKIP_REASONS.notDownloadable);
    if (!mimeType) return skip(DROPBOX_SKIP_REASONS.notAnImage);
    const hash = entry.content_hash && /^[0-9a-f]{64}$/.test(entry.content_hash) ? entry.content_hash : null;
    return {
      file: {
        sourceFileId: entry.id,
        name: entry.name,
        path,
        locator: apiPath,
        mimeType,
        size: typeof entry.size === 'number' && Number.isSafeInteger(entry.size) ? entry.size : null,
        md5: null,
        contentHash: hash,
        sharedLink: link,
      },
    };
  }
}
