import { z } from 'zod';
import { SourceError } from '../source-error.js';
import { causeCode, headerOf, parseRetryAfter, record } from '../error-facts.js';
import { isNetworkFailure } from '../source-http.js';

/** Google's JSON error envelope; every part may be missing (provider-apis.md A6). */
const GoogleErrorBodySchema = z.object({
  error: z.object({
    code: z.number().nullish(),
    message: z.string().nullish(),
    status: z.string().nullish(),
    errors: z
      .array(z.object({ reason: z.string().nullish(), message: z.string().nullish(), domain: z.string().nullish(), location: z.string().nullish() }).loose())
      .nullish(),
  }),
});

/** What gaxios puts in `cause` for a JSON error: the envelope's `error` object, flattened. */
const FlatErrorSchema = z.object({ errors: GoogleErrorBodySchema.shape.error.shape.errors, message: z.string().nullish() });

/** Reasons after which this one file can never be downloaded; the rest of the import goes on. */
export const FILE_UNAVAILABLE_REASONS: ReadonlySet<string> = new Set([
  'fileNotDownloadable',
  'cannotDownloadAbusiveFile',
  'downloadQuotaExceeded',
  'quotaExceeded',
  'insufficientFilePermissions',
  'cannotDownloadFile',
  'requestedRangeNotSatisfiable',
]);
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
/** 403 reasons that stop the whole import: the key, the project or the day's quota. */
const FATAL_403_REASONS = new Set(['dailyLimitExceeded', 'dailyLimitExceededUnreg', 'keyInvalid', 'keyExpired', 'accessNotConfigured', 'forbidden', 'ipRefererBlocked']);

interface HttpFacts {
  status?: number;
  reason?: string;
  location?: string;
  message?: string;
  retryAfter?: string | null;
  code?: string;
}

function parseBody(data: unknown): z.infer<typeof GoogleErrorBodySchema> | undefined {
  let value = data;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const parsed = GoogleErrorBodySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The status, reason and headers of a gaxios error (or anything shaped like one). */
function httpFacts(error: unknown): HttpFacts {
  const e = record(error) ?? {};
  const response = record(e.response);
  const statusValue = response?.status ?? e.status ?? (typeof e.code === 'number' ? e.code : undefined);
  const status = typeof statusValue === 'number' ? statusValue : undefined;
  // With responseType 'stream', gaxios keeps the error body only as the error's message (a JSON string).
  const body = parseBody(response?.data) ?? (typeof e.message === 'string' ? parseBody(e.message) : undefined);
  const flat = FlatErrorSchema.safeParse(e.cause);
  const first = body?.error.errors?.[0] ?? (flat.success ? flat.data.errors?.[0] : undefined);
  const message = body?.error.message ?? first?.message ?? (typeof e.message === 'string' ? e.message : undefined);
  const code = causeCode(error);
  return {
    ...(status !== undefined ? { status } : {}),
    ...(first?.reason ? { reason: first.reason } : {}),
    ...(first?.location ? { location: first.location } : {}),
    ...(message ? { message } : {}),
    retryAfter: headerOf(response?.headers, 'retry-after'),
    ...(code ? { code } : {}),
  };
}

/**
 * Classifies an error from googleapis/gaxios (or a stream that broke mid-download) into a SourceError,
 * per provider-apis.md A6: 429, 5xx and 403 rate-limit reasons are retried (rate_limited or transient),
 * per-file 403 reasons make the file unavailable, 404 is not_found, bad keys and daily limits are fatal,
 * dropped connections are transient. A SourceError is returned as it is.
 */
export function classifyDriveError(error: unknown, now: number = Date.now()): SourceError {
  if (error instanceof SourceError) return error;
  const facts = httpFacts(error);
  const { status, reason } = facts;
  const retryAfterMs = parseRetryAfter(facts.retryAfter, now);
  const detail = facts.message ? `: ${facts.message}` : '';
  const details = { ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), cause: error };

  if (status === undefined) {
    if (isNetworkFailure(error)) return new SourceError('transient', facts.code ?? 'network', `Google Drive connection failed${detail}`, details);
    return new SourceError('fatal', 'unexpected', `Unexpected error talking to Google Drive${detail}`, details);
  }
  if (status === 429 || (status === 403 && reason && RATE_LIMIT_REASONS.has(reason))) {
    return new SourceError('rate_limited', reason ?? 'rateLimitExceeded', `Google Drive asked to slow down (${status})${detail}`, details);
  }
  if (status >= 500 || status === 408) {
    return new SourceError('transient', reason ?? `http_${status}`, `Google Drive answered ${status}${detail}`, details);
  }
  if (reason && FILE_UNAVAILABLE_REASONS.has(reason)) {
    return new SourceError('file_unavailable', reason, `Google Drive will not give this file (${reason})${detail}`, details);
  }
  if (status === 404) return new SourceError('not_found', reason ?? 'notFound', `Not found on Google Drive${detail}`, details);
  if (status === 403 && !(reason && FATAL_403_REASONS.has(reason))) {
    // An unknown 403 on an API-key request is about the item (permissions), not the whole import.
    return new SourceError('file_unavailable', reason ?? 'http_403', `Google Drive refused access (403)${detail}`, details);
  }
  if (status === 400 && facts.location === 'pageToken') {
    // Drive: "If the token is rejected for any reason, it should be discarded, and pagination should be restarted".
    return new SourceError('fatal', 'invalid_page_token', `Google Drive rejected the page cursor; list the folder again from its first page${detail}`, details);
  }
  return new SourceError('fatal', reason ?? `http_${status}`, `Google Drive refused the request (${status})${detail}`, details);
}
