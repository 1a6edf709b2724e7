import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FolderRef, SkippedEntry, SourceFile, SourceKind } from '@importer/contracts';
import { RetryPolicy, type RetryOptions } from './retry-policy.js';
import type { RequestBudget } from './request-budget.js';
import type { SourceError } from './source-error.js';

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

/** How a file is to be opened. */
export interface OpenFileOptions {
  /**
   * Ends the download when it aborts: the request is cancelled and its connection closed, whether the source is
   * waiting for its request budget, for the answer's headers, between retries, or streaming the body. The promise
   * rejects, and the stream errors, with the signal's `reason`.
   */
  signal?: AbortSignal;
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
  /** Opens one file's bytes; `options.signal` ends the download at any point (see OpenFileOptions). */
  openFile(file: SourceFile, options?: OpenFileOptions): Promise<OpenedFile>;
}

/** `work`, or the signal's reason as soon as it aborts, whichever comes first. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A RetryPolicy like the source's own that stops the moment `signal` aborts: the wait for the budget, an attempt's
 * failure and the backoff after it all end with the signal's reason, so an aborted download is not tried again.
 */
export function abortableRetry(
  budget: RequestBudget,
  classify: (error: unknown) => SourceError,
  options: Partial<RetryOptions>,
  signal: AbortSignal,
): RetryPolicy {
  const wait = options.sleep;
  return new RetryPolicy(
    { acquire: () => untilAborted(budget.acquire(), signal), throttle: (ms) => budget.throttle(ms) },
    (error) => {
      signal.throwIfAborted();
      return classify(error);
    },
    {
      ...options,
      sleep: wait ? (ms) => untilAborted(wait(ms), signal) : (ms) => sleep(ms, undefined, { signal }).catch(() => signal.throwIfAborted()),
    },
  );
}
