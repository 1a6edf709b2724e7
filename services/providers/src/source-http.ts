import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { type SourceFile, type SourceKind, sourceLabel } from '@importer/contracts';
import { z } from 'zod';
import { causeCode, headerOf, record } from './error-facts.js';
import type { OpenedFile } from './image-source.js';
import type { RequestBudget } from './request-budget.js';
import { RetryPolicy, type RetryOptions } from './retry-policy.js';
import { SourceError } from './source-error.js';

// What every source does the same way with HTTP: read an answer, size a download, tell a network failure, retry a check.

/** Error codes of a connection that dropped, was refused or timed out, or of a name lookup that failed (node, undici). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
]);

/** How a network failure reads when no code of NETWORK_CODES comes with it. */
const NETWORK_MESSAGES = /socket hang up|premature close|econnreset|etimedout|network|terminated|other side closed|fetch failed|aborted due to timeout/i;

/** True when the error (or a cause of it) is a network failure rather than an answer: worth another attempt. */
export function isNetworkFailure(error: unknown): boolean {
  const code = causeCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  const message = record(error)?.message;
  return typeof message === 'string' && NETWORK_MESSAGES.test(message);
}

/** `data` read by `schema`, or a transient SourceError naming what the source sent instead. */
export function parseResponse<T>(source: SourceKind, schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  // A proxy's HTML page or a truncated body: worth another attempt.
  throw new SourceError('transient', 'malformed_response', `${sourceLabel(source)} sent an unexpected ${what}: ${z.prettifyError(parsed.error)}`);
}

/** An answer's headers as fetch (`Headers`) or node's http (`IncomingHttpHeaders`) give them. */
export type AnswerHeaders = Headers | IncomingHttpHeaders;

/**
 * The file's size as the answer's Content-Length states it, or null: without one, with one that is not a whole
 * number, or with a Content-Encoding, since a compressed body's length is not the file's.
 */
export function contentLength(headers: AnswerHeaders): number | null {
  const encoding = headerOf(headers, 'content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return null;
  const text = headerOf(headers, 'content-length')?.trim();
  if (!text || !/^\d+$/.test(text)) return null;
  const length = Number(text);
  return Number.isSafeInteger(length) ? length : null;
}

/** A fetch answer's body as a file being opened; `what` names the file in the error of an answer without a body. */
export function fetchedFile(source: SourceKind, response: Response, what: string): OpenedFile {
  if (!response.body) throw new SourceError('transient', 'empty_body', `${sourceLabel(source)} answered ${response.status} without a body for ${what}`);
  return {
    stream: Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]),
    size: contentLength(response.headers),
    contentType: response.headers.get('content-type'),
  };
}

/**
 * How hard a source tries while a person waits for the answer (the API's check of a pasted folder link): three
 * attempts, no Retry-After longer than 5 s waited for, 15 s per request at most.
 */
export const INSPECT_RETRY = { maxAttempts: 3, maxRetryAfterMs: 5_000, requestTimeoutMs: 15_000 } as const;

/** The RetryPolicy of `inspectRoot`: INSPECT_RETRY under the source's own retry options (tests shorten the waits). */
export function inspectRetryPolicy(budget: RequestBudget, classify: (error: unknown) => SourceError, retry: Partial<RetryOptions> = {}): RetryPolicy {
  return new RetryPolicy(budget, classify, { maxAttempts: INSPECT_RETRY.maxAttempts, maxRetryAfterMs: INSPECT_RETRY.maxRetryAfterMs, ...retry });
}

/** The deadline of one `inspectRoot` request: the source's own, or INSPECT_RETRY's if that is shorter. */
export function inspectTimeoutMs(requestTimeoutMs: number): number {
  return Math.min(requestTimeoutMs, INSPECT_RETRY.requestTimeoutMs);
}

/** The locator a source opens `file` by; a file listed without one cannot be fetched, and retrying will not change that. */
export function locatorOf(source: SourceKind, file: SourceFile): string {
  if (!file.locator) throw new SourceError('fatal', 'no_locator', `This file of ${sourceLabel(source)} does not say where to fetch it from.`);
  return file.locator;
}
