import { createHash } from 'node:crypto';
import type { FolderRef, SkippedEntry, SourceFile } from '@importer/contracts';
import { causeCode } from '../error-facts.js';
import { abortableRetry, type ImageSource, type ListPage, type OpenedFile, type OpenFileOptions } from '../image-source.js';
import type { RequestBudget } from '../request-budget.js';
import { RetryPolicy, type RetryOptions } from '../retry-policy.js';
import { SourceError } from '../source-error.js';
import { contentLength, isNetworkFailure, locatorOf } from '../source-http.js';
import { guardedFetch, httpStatusError, type UrlGuardOptions } from './guarded-fetch.js';

/** One line of a URL list, as the API stored it. */
export interface UrlListEntry {
  /** 1-based position in the list as given. */
  position: number;
  url: string;
}

/** Where the lists of URLs given to `POST /import/urls` are kept (PostgreSQL), read a page at a time. */
export interface UrlListReader {
  page(listId: string, afterPosition: number, limit: number): Promise<UrlListEntry[]>;
}

export interface UrlListSourceOptions extends UrlGuardOptions {
  budget: RequestBudget;
  /** Bytes one image may have. */
  maxBytes: number;
  /** The stored lists; only the lister needs it. */
  lists?: UrlListReader;
  /** Entries per listed page. Default 1000. */
  pageSize?: number;
  retry?: Partial<RetryOptions>;
}

/** Why a line of a list is not imported (SkippedEntry.reason). */
export const URL_SKIP_REASONS = { invalidUrl: 'invalid_url' } as const;

/** The id of a URL's content in the gallery: the same URL is one image, however often it is listed. */
export function urlSourceFileId(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

/** A control character, or the U+FFFD the database stores in its place, is no part of a URL a person gave. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_URL_TEXT = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

/** A URL as given, normalised by the WHATWG parser (host lower case, default port dropped), or undefined if it is not one. */
export function normaliseImageUrl(text: string): string | undefined {
  const trimmed = text.trim();
  if (NOT_URL_TEXT.test(trimmed) || !URL.canParse(trimmed)) return undefined;
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url.toString();
}

function nameOf(url: string): string {
  const { pathname, hostname } = new URL(url);
  const last = pathname.split('/').filter(Boolean).at(-1);
  try {
    return last ? decodeURIComponent(last).slice(0, 255) : hostname;
  } catch {
    return last ?? hostname;
  }
}

function classify(error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  const code = causeCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (isNetworkFailure(error)) return new SourceError('transient', code ?? 'network', `the connection failed: ${message}`, { cause: error });
  return new SourceError('file_unavailable', code ?? 'fetch_failed', `the URL could not be fetched: ${message}`, { cause: error });
}

/**
 * A list of image URLs behind ImageSource. The list itself is the import's one "folder" (its id is the list's id),
 * listed a page at a time from where the API stored it; each URL is a file whose `path` and `locator` are the URL. Downloads go
 * through guardedFetch (SSRF guard, redirects checked, size cap); whether the bytes are an image, transfer decides
 * from their magic bytes, since a URL vouches for no type.
 */
export class UrlListSource implements ImageSource {
  readonly kind = 'url' as const;
  private readonly retryOptions: Partial<RetryOptions>;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;

  constructor(private readonly options: UrlListSourceOptions) {
    this.pageSize = options.pageSize ?? 1000;
    // A URL on a server that is down is not worth a minute of retries: three attempts, then the file fails.
    this.retryOptions = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_000, maxRetryAfterMs: 30_000, ...options.retry };
    this.retry = new RetryPolicy(options.budget, classify, this.retryOptions);
  }

  async inspectRoot(): Promise<{ name: string }> {
    return { name: 'URL list' };
  }

  async listPage(folder: FolderRef, cursor: string | null): Promise<ListPage> {
    if (!this.options.lists) throw new Error('this UrlListSource has no list store');
    const entries = await this.options.lists.page(folder.id, cursor ? Number(cursor) : 0, this.pageSize);
    const files: SourceFile[] = [];
    const skipped: SkippedEntry[] = [];
    const seen = new Set<string>();
    for (const { position, url: text } of entries) {
      const url = normaliseImageUrl(text);
      if (url && seen.has(url)) continue;
      if (url) seen.add(url);
      if (!url) {
        skipped.push({ sourceFileId: `line-${position}`, name: text.slice(0, 255), path: text.slice(0, 2000), mimeType: null, reason: URL_SKIP_REASONS.invalidUrl });
        continue;
      }
      files.push({ sourceFileId: urlSourceFileId(url), name: nameOf(url), path: url, locator: url, mimeType: 'application/octet-stream', size: null, md5: null });
    }
    const last = entries.at(-1);
    return { files, folders: [], skipped, nextCursor: entries.length === this.pageSize && last ? String(last.position) : null };
  }

  async openFile(file: SourceFile, { signal }: OpenFileOptions = {}): Promise<OpenedFile> {
    signal?.throwIfAborted();
    const retry = signal ? abortableRetry(this.options.budget, classify, this.retryOptions, signal) : this.retry;
    const response = await retry.run(async () => {
      const answer = await guardedFetch(
        locatorOf('url', file),
        { headers: { accept: 'image/*,*/*;q=0.5' }, maxBytes: this.options.maxBytes, signal },
        this.options,
      );
      if (answer.status < 200 || answer.status > 299) {
        answer.body.resume();
        throw httpStatusError(answer);
      }
      return answer;
    });
    return { stream: response.body, size: contentLength(response.headers), contentType: response.headers['content-type'] ?? null };
  }
}
