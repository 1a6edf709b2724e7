import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { parseRetryAfter } from '../error-facts.js';
import { untilAborted } from '../image-source.js';
import { SourceError } from '../source-error.js';
import { blockedAddressKind } from './address-guard.js';

/** How URLs given by users (images to import, webhooks) may be fetched. */
export interface UrlGuardOptions {
  /** Hosts (names or IP literals, lower case) that may be private or loopback: for tests and an operator's own servers. */
  allowedHosts: ReadonlySet<string>;
  /** Redirects followed at most; each one is checked again. Default 5. */
  maxRedirects?: number;
  /** Deadline for the answer's headers, per hop. Default 30 s. */
  headersTimeoutMs?: number;
  /** Resolves a host name to every address it has (tests give their own). Default: the system resolver. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface GuardedRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Bytes the answer may have; more fails with too_large. Unlimited when absent. */
  maxBytes?: number;
  /**
   * Cancels the fetch and closes its connection when it aborts, while resolving, waiting for headers or streaming the
   * body; the promise rejects, or the body errors, with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** The URL that answered, after redirects. */
  url: string;
  /** The body, cut off with an error past `maxBytes`. */
  body: Readable;
}

const systemResolve = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

function refused(url: URL, address: string, kind: string): SourceError {
  const shown = hostOf(url) === address ? address : `${hostOf(url)} (${address})`;
  return new SourceError('file_unavailable', 'blocked_address', `refused: ${shown} is a ${kind} address, which imports may not reach (an operator can allow a host with URL_IMPORT_ALLOWED_HOSTS)`);
}

/** The addresses of a host, every one of them public, or a SourceError saying which is not. */
async function checkedAddresses(url: URL, options: UrlGuardOptions): Promise<LookupAddress[] | 'allowed'> {
  const host = hostOf(url);
  if (options.allowedHosts.has(host)) return 'allowed';
  const literal = isIP(host);
  const addresses: LookupAddress[] = literal ? [{ address: host, family: literal }] : await (options.resolve ?? systemResolve)(host).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    throw new SourceError(code === 'EAI_AGAIN' ? 'transient' : 'file_unavailable', 'dns_failed', `${host} does not resolve (${code ?? String(error)})`, { cause: error });
  });
  for (const { address } of addresses) {
    const kind = blockedAddressKind(address);
    if (kind) throw refused(url, address, kind);
  }
  if (addresses.length === 0) throw new SourceError('file_unavailable', 'dns_failed', `${host} has no address`);
  return addresses;
}

/** A lookup that answers only with the addresses already checked, so the connection cannot go elsewhere (DNS rebinding). */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const [first] = addresses;
    if (options?.all) callback(null, addresses);
    else callback(null, first?.address, first?.family);
  }) as LookupFunction;
}

function capped(limit: number | undefined, url: URL): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (limit !== undefined && seen > limit) callback(new SourceError('file_unavailable', 'too_large', `${url.host} sent more than ${limit} bytes, the most an import takes`));
      else callback(null, chunk);
    },
  });
}

function send(url: URL, request: GuardedRequest, addresses: LookupAddress[] | 'allowed', timeoutMs: number): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  const { signal } = request;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const req = client.request(url, {
      method: request.method ?? 'GET',
      headers: { 'user-agent': 'image-importer/1.0', ...request.headers },
      ...(addresses === 'allowed' ? {} : { lookup: pinnedLookup(addresses) }),
    });
    let res: IncomingMessage | undefined;
    // Destroying the answer, or the request before there is one, closes the socket.
    const onAbort = () => {
      const reason = signal?.reason as Error;
      if (res) res.destroy(reason);
      else req.destroy(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal?.removeEventListener('abort', onAbort));
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer from ${url.host} in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.once('response', (answer) => {
      res = answer;
      req.setTimeout(0);
      resolve(answer);
    });
    // `on`, not `once`: a body destroyed after the headers errors the request as well.
    req.on('error', reject);
    req.end(request.body);
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a URL a user gave, guarded against SSRF: only http and https; every host, the first and each redirect's,
 * is resolved and refused when any of its addresses is loopback, private, link-local or reserved (unless the host
 * is in `allowedHosts`); the connection then goes to the checked addresses only. Redirects are followed by hand,
 * at most `maxRedirects`. Throws a SourceError for a refused or unreachable URL; any HTTP status is returned.
 */
export async function guardedFetch(input: string, request: GuardedRequest, options: UrlGuardOptions): Promise<GuardedResponse> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SourceError('file_unavailable', 'invalid_url', `"${input.slice(0, 200)}" is not a URL`);
  }
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new SourceError('file_unavailable', 'unsupported_scheme', `${url.protocol} URLs are not fetched, only http and https`);
    }
    if (url.username || url.password) throw new SourceError('file_unavailable', 'credentials_in_url', 'URLs with a user name or password are not fetched');
    const addresses = await untilAborted(checkedAddresses(url, options), request.signal);
    const res = await send(url, request, addresses, options.headersTimeoutMs ?? 30_000);
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode ?? 0) && location) {
      res.resume();
      if (hop >= maxRedirects) throw new SourceError('file_unavailable', 'too_many_redirects', `more than ${maxRedirects} redirects from ${input.slice(0, 200)}`);
      url = new URL(location, url);
      if (res.statusCode === 303) request = { ...request, method: 'GET' };
      continue;
    }
    const length = Number(res.headers['content-length']);
    if (request.maxBytes !== undefined && Number.isFinite(length) && length > request.maxBytes) {
      res.destroy();
      throw new SourceError('file_unavailable', 'too_large', `${url.host} announces ${length} bytes, more than the ${request.maxBytes} an import takes`);
    }
    const body = res.pipe(capped(request.maxBytes, url));
    res.once('error', (error) => body.destroy(error));
    return { status: res.statusCode ?? 0, headers: res.headers, url: url.toString(), body };
  }
}

/** A non-2xx answer as a SourceError: 429 waits, 5xx and 408 are retried, the rest fail the file. */
export function httpStatusError(response: Pick<GuardedResponse, 'status' | 'headers' | 'url'>, now: number = Date.now()): SourceError {
  const { status } = response;
  const retryAfter = response.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, now);
  const details = { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  const where = new URL(response.url).host;
  if (status === 429) return new SourceError('rate_limited', 'http_429', `${where} asked to slow down (429)`, details);
  if (status >= 500 || status === 408) return new SourceError('transient', `http_${status}`, `${where} answered ${status}`, details);
  return new SourceError('file_unavailable', `http_${status}`, `${where} answered ${status}${status === 404 ? ' (not found)' : ''}`, details);
}
