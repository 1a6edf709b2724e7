import type { FolderRef, SkippedEntry, SourceFile } from '@importer/contracts';
// The Drive API alone (~0.3 s to load): the `googleapis` bundle loads every Google API (~2 s) for this one.
import { drive, type drive_v3 } from '@googleapis/drive';
import { z } from 'zod';
import { abortableRetry, type ImageSource, type ListPage, type OpenedFile, type OpenFileOptions } from '../image-source.js';
import type { RequestBudget } from '../request-budget.js';
import { RetryPolicy, type RetryOptions } from '../retry-policy.js';
import { SourceError } from '../source-error.js';
import { fetchedFile, inspectRetryPolicy, inspectTimeoutMs, parseResponse } from '../source-http.js';
import { classifyDriveError } from './drive-errors.js';

export const DRIVE_FOLDER_MIME = 'application/vnd.google-apps.folder';
export const DRIVE_SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';
const GOOGLE_APPS_PREFIX = 'application/vnd.google-apps.';

/** Why a listed entry is not imported (SkippedEntry.reason). */
export const DRIVE_SKIP_REASONS = {
  /** A Google Docs editors file (document, spreadsheet, ...): no binary content to download. */
  googleWorkspaceFile: 'google_workspace_file',
  /** A file whose MIME type is not image/*. */
  notAnImage: 'not_an_image',
  /** A shortcut whose target is deleted or not shared. */
  danglingShortcut: 'dangling_shortcut',
  /** A shortcut whose target Drive refuses to describe (a per-item 403 such as insufficientFilePermissions). */
  shortcutTargetUnavailable: 'shortcut_target_unavailable',
  /** A shortcut listed without shortcutDetails.targetId. */
  shortcutWithoutTarget: 'shortcut_without_target',
  /** A shortcut to a shortcut (Drive does not create these; followed no further). */
  shortcutToShortcut: 'shortcut_to_shortcut',
} as const;

/** What GoogleDriveSource needs; the services read GOOGLE_API_KEY and GOOGLE_API_ROOT_URL in their config.ts. */
export interface GoogleDriveSourceOptions {
  apiKey: string;
  /** `https://www.googleapis.com/` (the default) or an emulator's root; any path in it is ignored by the client. */
  rootUrl?: string;
  budget: RequestBudget;
  /** files.list pageSize, 1-1000. Default 1000. */
  pageSize?: number;
  retry?: Partial<RetryOptions>;
  /** Shortcut targets resolved at once while listing a page. Default 8. */
  shortcutConcurrency?: number;
  /** Deadline of one metadata request. Default 60 s. Downloads have none of their own: the caller's signal ends them. */
  requestTimeoutMs?: number;
}

const FILE_FIELDS = 'id,name,mimeType,size,md5Checksum,resourceKey,imageMediaMetadata(width,height),shortcutDetails(targetId,targetMimeType,targetResourceKey)';
const LIST_FIELDS = `nextPageToken,incompleteSearch,files(${FILE_FIELDS})`;
const ROOT_FIELDS = 'id,name,mimeType,resourceKey';

/** A File as requested through FILE_FIELDS; Drive omits what does not apply. */
const DriveFileSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  mimeType: z.string(),
  size: z.string().nullish(),
  md5Checksum: z.string().nullish(),
  resourceKey: z.string().nullish(),
  imageMediaMetadata: z.object({ width: z.number().nullish(), height: z.number().nullish() }).nullish(),
  shortcutDetails: z
    .object({ targetId: z.string().nullish(), targetMimeType: z.string().nullish(), targetResourceKey: z.string().nullish() })
    .nullish(),
});
type DriveFile = z.infer<typeof DriveFileSchema>;

const FileListSchema = z.object({
  nextPageToken: z.string().nullish(),
  files: z.array(DriveFileSchema).nullish(),
});

type Outcome = { file: SourceFile } | { folder: FolderRef } | { skipped: SkippedEntry };

function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

function positiveInt(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

function resourceKeyHeader(id: string, key: string | null | undefined): Record<string, string> {
  return key ? { 'X-Goog-Drive-Resource-Keys': `${id}/${key}` } : {};
}

function escapeQueryValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A non-2xx answer to a plain fetch, shaped as gaxios shapes its errors, so classifyDriveError reads both alike. */
class DriveHttpError extends Error {
  readonly response: { status: number; data: string; headers: Headers };
  constructor(status: number, body: string, headers: Headers) {
    super(`Google Drive answered ${status}`);
    this.response = { status, data: body, headers };
  }
}

/**
 * Google Drive behind ImageSource, through Google's Drive v3 client (@googleapis/drive) with an API key (public
 * folders shared "anyone with the link"). gaxios' own retries are off: RetryPolicy, sharing the RequestBudget, is
 * the only one. Errors come out as SourceError (drive-errors.ts).
 */
export class GoogleDriveSource implements ImageSource {
  readonly kind = 'google_drive' as const;
  private readonly drive: drive_v3.Drive;
  private readonly retry: RetryPolicy;
  /** For the API's check of a pasted link: a person is waiting, so fewer and shorter attempts. */
  private readonly inspectRetry: RetryPolicy;
  private readonly pageSize: number;
  private readonly shortcutConcurrency: number;
  private readonly timeout: number;
  private readonly apiKey: string;
  private readonly rootUrl: string;
  private readonly budget: RequestBudget;
  private readonly retryOptions: Partial<RetryOptions>;

  constructor(options: GoogleDriveSourceOptions) {
    if (!options.apiKey) throw new Error('GoogleDriveSource needs an API key');
    this.pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 1000) throw new Error(`pageSize must be 1-1000, not ${this.pageSize}`);
    this.shortcutConcurrency = options.shortcutConcurrency ?? 8;
    this.timeout = options.requestTimeoutMs ?? 60_000;
    this.apiKey = options.apiKey;
    this.rootUrl = options.rootUrl ?? 'https://www.googleapis.com/';
    this.drive = drive({ version: 'v3', auth: options.apiKey, rootUrl: this.rootUrl, retry: false });
    this.budget = options.budget;
    this.retryOptions = options.retry ?? {};
    this.retry = new RetryPolicy(options.budget, (error) => classifyDriveError(error), options.retry);
    this.inspectRetry = inspectRetryPolicy(options.budget, (error) => classifyDriveError(error), options.retry);
  }

  async inspectRoot(root: FolderRef): Promise<{ name: string }> {
    let meta: DriveFile;
    try {
      meta = await this.getMetadata(root.id, root.resourceKey, ROOT_FIELDS, { retry: this.inspectRetry, timeout: inspectTimeoutMs(this.timeout) });
    } catch (error) {
      if (error instanceof SourceError && error.kind === 'not_found') {
        throw new SourceError(
          'not_found',
          error.reason,
          `Google Drive folder ${root.id} was not found: it does not exist, is not shared with "anyone with the link", or needs the resourcekey of its link.`,
          error.details,
        );
      }
      throw error;
    }
    if (meta.mimeType !== DRIVE_FOLDER_MIME) {
      throw new SourceError('not_found', 'not_a_folder', `Google Drive item ${root.id} ("${meta.name}") is a file of type ${meta.mimeType}, not a folder.`);
    }
    return { name: meta.name };
  }

  async listPage(folder: FolderRef, cursor: string | null): Promise<ListPage> {
    const page = await this.retry.run(async () => {
      const response = await this.drive.files.list(
        {
          q: `'${escapeQueryValue(folder.id)}' in parents and trashed = false`,
          pageSize: this.pageSize,
          fields: LIST_FIELDS,
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          ...(cursor ? { pageToken: cursor } : {}),
        },
        { headers: resourceKeyHeader(folder.id, folder.resourceKey), timeout: this.timeout },
      );
      return parseResponse('google_drive', FileListSchema, response.data, 'file list');
    });
    const outcomes = await mapLimited(page.files ?? [], this.shortcutConcurrency, (entry) => this.outcome(entry, folder.path));
    const result: ListPage = { files: [], folders: [], skipped: [], nextCursor: page.nextPageToken || null };
    for (const outcome of outcomes) {
      if ('file' in outcome) result.files.push(outcome.file);
      else if ('folder' in outcome) result.folders.push(outcome.folder);
      else result.skipped.push(outcome.skipped);
    }
    return result;
  }

  /**
   * Downloads with plain fetch, the same request googleapis makes (`files.get?alt=media`): a download per file
   * is the hot path, and the generated client's per-request work costs more CPU than the transfer around it.
   */
  async openFile(file: SourceFile, { signal }: OpenFileOptions = {}): Promise<OpenedFile> {
    signal?.throwIfAborted();
    const url = new URL(`/drive/v3/files/${encodeURIComponent(file.sourceFileId)}`, this.rootUrl);
    url.search = new URLSearchParams({ alt: 'media', supportsAllDrives: 'true', key: this.apiKey }).toString();
    const retry = signal ? abortableRetry(this.budget, (error) => classifyDriveError(error), this.retryOptions, signal) : this.retry;
    const response = await retry.run(async () => {
      // The signal also ends the body once it streams: fetch errors it with the signal's reason.
      const answer = await fetch(url, { headers: resourceKeyHeader(file.sourceFileId, file.resourceKey), signal });
      if (!answer.ok) throw new DriveHttpError(answer.status, await answer.text(), answer.headers);
      return answer;
    });
    return fetchedFile('google_drive', response, file.sourceFileId);
  }

  private async getMetadata(
    id: string,
    resourceKey: string | null | undefined,
    fields: string,
    { retry, timeout } = { retry: this.retry, timeout: this.timeout },
  ): Promise<DriveFile> {
    return retry.run(async () => {
      const response = await this.drive.files.get({ fileId: id, fields, supportsAllDrives: true }, { headers: resourceKeyHeader(id, resourceKey), timeout });
      return parseResponse('google_drive', DriveFileSchema, response.data, 'file');
    });
  }

  /** Images are decided by MIME type alone: image/* is imported, whatever the name's extension says. */
  private toOutcome(entry: DriveFile, path: string, as: { id: string; name: string } = entry): Outcome {
    if (entry.mimeType === DRIVE_FOLDER_MIME) {
      return { folder: { id: entry.id, path, ...(entry.resourceKey ? { resourceKey: entry.resourceKey } : {}) } };
    }
    if (entry.mimeType.startsWith('image/')) {
      const size = entry.size && /^\d+$/.test(entry.size) ? Number(entry.size) : null;
      const md5 = entry.md5Checksum && /^[0-9a-f]{32}$/.test(entry.md5Checksum) ? entry.md5Checksum : null;
      return {
        file: {
          sourceFileId: entry.id,
          name: as.name,
          path,
          mimeType: entry.mimeType,
          size: size !== null && Number.isSafeInteger(size) ? size : null,
          md5,
          width: positiveInt(entry.imageMediaMetadata?.width),
          height: positiveInt(entry.imageMediaMetadata?.height),
          ...(entry.resourceKey ? { resourceKey: entry.resourceKey } : {}),
        },
      };
    }
    const reason = entry.mimeType.startsWith(GOOGLE_APPS_PREFIX) ? DRIVE_SKIP_REASONS.googleWorkspaceFile : DRIVE_SKIP_REASONS.notAnImage;
    return { skipped: { sourceFileId: as.id, name: as.name, path, mimeType: entry.mimeType, reason } };
  }

  private async outcome(entry: DriveFile, parentPath: string): Promise<Outcome> {
    const path = childPath(parentPath, entry.name);
    if (entry.mimeType !== DRIVE_SHORTCUT_MIME) return this.toOutcome(entry, path);
    const skip = (reason: string, mimeType: string | null = entry.mimeType): Outcome => ({
      skipped: { sourceFileId: entry.id, name: entry.name, path, mimeType, reason },
    });
    const details = entry.shortcutDetails;
    if (!details?.targetId) return skip(DRIVE_SKIP_REASONS.shortcutWithoutTarget);
    let target: DriveFile;
    try {
      target = await this.getMetadata(details.targetId, details.targetResourceKey, FILE_FIELDS);
    } catch (error) {
      const mimeType = details.targetMimeType ?? entry.mimeType;
      if (error instanceof SourceError && error.kind === 'not_found') return skip(DRIVE_SKIP_REASONS.danglingShortcut, mimeType);
      // One unreachable target must not fail the whole listing; rate limits and fatal errors still do.
      if (error instanceof SourceError && error.kind === 'file_unavailable') return skip(DRIVE_SKIP_REASONS.shortcutTargetUnavailable, mimeType);
      throw error;
    }
    if (target.mimeType === DRIVE_SHORTCUT_MIME) return skip(DRIVE_SKIP_REASONS.shortcutToShortcut, target.mimeType);
    const keyed = target.resourceKey || !details.targetResourceKey ? target : { ...target, resourceKey: details.targetResourceKey };
    // The SourceFile is the target's content (its id), named as the shortcut appears in this folder.
    return this.toOutcome(keyed, path, { id: entry.id, name: entry.name });
  }
}
