import { z } from 'zod';
import { SourceError } from '../source-error.js';
import { causeCode, headerOf, parseRetryAfter, record } from '../error-facts.js';
import { isNetworkFailure } from '../source-http.js';

/** Dropbox's JSON error body (provider-apis.md B6): the union's `.tag` path is what to match on, not error_summary. */
const DropboxErrorBodySchema = z.object({
  error_summary: z.string().nullish(),
  error: z.unknown(),
  user_message: z.object({ text: z.string() }).loose().nullish(),
});

/** A 409's error union, flattened into its tag path: `path/not_found`, `shared_link_access_denied`, `reset`. */
export function errorTagPath(error: unknown): string | undefined {
  const tags: string[] = [];
  let node: unknown = error;
  for (let depth = 0; depth < 5 && typeof node === 'object' && node !== null; depth++) {
    const tag = (node as Record<string, unknown>)['.tag'];
    if (typeof tag !== 'string') break;
    tags.push(tag);
    node = (node as Record<string, unknown>)[tag];
  }
  if (tags.length > 0) return tags.join('/');
  // A rate-limit body keeps its reason one level down: {"reason": {".tag": "too_many_requests"}}.
  const reason = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).reason : undefined;
  return reason === undefined ? undefined : errorTagPath(reason);
}

/** The last tag of a path: `path/not_found` → `not_found`. */
const leaf = (tags: string) => tags.split('/').at(-1) ?? tags;

/** Leaf tags of a 409 that mean the folder or file is not there (or not visible through this link). */
const NOT_FOUND_TAGS = new Set(['not_found', 'shared_link_not_found', 'malformed_path', 'not_folder']);
/** Leaf tags of a 409 that refuse this item for good; the rest of the import goes on. */
const REFUSED_TAGS: Record<string, string> = {
  shared_link_access_denied: 'the link does not allow access (it may need a password, or be restricted to some people)',
  restricted_content: 'Dropbox restricts this content (copyright or policy)',
  unsupported_link_type: 'this kind of link cannot be downloaded',
  unsupported_content_type: 'this content cannot be downloaded',
  unsupported_parameter_field: 'this private link does not allow listing its content',
  shared_link_is_directory: 'it is a folder, not a file',
  not_file: 'it is a folder, not a file',
  locked: 'the item is locked',
  email_not_verified: 'the owner has not verified their email address',
  template_error: 'Dropbox could not read the folder',
};

interface Facts {
  status?: number;
  body: unknown;
  retryAfter?: string | null;
  message?: string;
  code?: string;
}

/** Status, body and headers of a DropboxResponseError, of a DropboxHttpError from a plain fetch, or of a network failure. */
function factsOf(error: unknown): Facts {
  const e = record(error) ?? {};
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = causeCode(error);
  return {
    ...(status !== undefined ? { status } : {}),
    body: e.error,
    retryAfter: headerOf(e.headers, 'retry-after'),
    ...(typeof e.message === 'string' ? { message: e.message } : {}),
    ...(code ? { code } : {}),
  };
}

/**
 * Classifies an error from the Dropbox SDK (DropboxResponseError), from a plain download request, or from a
 * connection that broke, into a SourceError (provider-apis.md B6): 429 is rate_limited and waits for the longer of
 * `Retry-After` and the body's `retry_after`; 5xx and dropped connections are transient; a 409 is mapped by its tag
 * (`not_found`, `shared_link_not_found` → not_found; `shared_link_access_denied`, `restricted_content`, ... →
 * file_unavailable, which fails a file or, while listing, the job, with a message a person can act on; a listing
 * cursor `reset` is fatal); 400 (bad request or credentials, plain text), 401 and 403 are fatal.
 */
export function classifyDropboxError(error: unknown, now: number = Date.now()): SourceError {
  if (error instanceof SourceError) return error;
  const facts = factsOf(error);
  const { status } = facts;
  const parsed = DropboxErrorBodySchema.safeParse(facts.body);
  const tags = parsed.success ? errorTagPath(parsed.data.error) : undefined;
  const userText = parsed.success ? parsed.data.user_message?.text : undefined;
  const summary = parsed.success ? parsed.data.error_summary : typeof facts.body === 'string' ? facts.body.slice(0, 300) : undefined;
  const detail = userText ? `: ${userText}` : summary ? ` (${summary})` : '';

  const bodyRetryAfter = parsed.success ? record(parsed.data.error)?.retry_after : undefined;
  const headerMs = parseRetryAfter(facts.retryAfter, now);
  const bodyMs = typeof bodyRetryAfter === 'number' && bodyRetryAfter >= 0 ? bodyRetryAfter * 1000 : undefined;
  const retryAfterMs = headerMs === undefined && bodyMs === undefined ? undefined : Math.max(headerMs ?? 0, bodyMs ?? 0);
  const details = { ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), cause: error };

  if (status === undefined) {
    if (isNetworkFailure(error)) return new SourceError('transient', facts.code ?? 'network', `Dropbox connection failed: ${facts.message ?? 'no answer'}`, details);
    return new SourceError('fatal', 'unexpected', `Unexpected error talking to Dropbox: ${facts.message ?? String(error)}`, details);
  }
  if (status === 429) return new SourceError('rate_limited', tags ?? 'too_many_requests', `Dropbox asked to slow down (429)${detail}`, details);
  if (status >= 500 || status === 408) return new SourceError('transient', `http_${status}`, `Dropbox answered ${status}${detail}`, details);
  if (status === 409 && tags) {
    const last = leaf(tags);
    if (last === 'reset') {
      return new SourceError('fatal', tags, 'Dropbox invalidated the listing cursor (reset); import the folder again to list it from the start.', details);
    }
    if (NOT_FOUND_TAGS.has(last)) return new SourceError('not_found', tags, `Not found on Dropbox (${tags})${userText ? `: ${userText}` : ''}`, details);
    const why = REFUSED_TAGS[last] ?? 'Dropbox refused it';
    return new SourceError('file_unavailable', tags, `Dropbox will not give it: ${why} (${tags})${userText ? `: ${userText}` : ''}`, details);
  }
  if (status === 401) {
    return new SourceError('fatal', tags ?? 'http_401', `Dropbox refused the credentials (DROPBOX_ACCESS_TOKEN or DROPBOX_APP_KEY/SECRET)${detail}`, details);
  }
  if (status === 400) return new SourceError('fatal', 'bad_request', `Dropbox refused the request (400)${detail}`, details);
  return new SourceError('fatal', tags ?? `http_${status}`, `Dropbox refused the request (${status})${detail}`, details);
}
