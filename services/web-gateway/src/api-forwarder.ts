import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Request, RequestHandler, Response } from 'express';
import { allowedMethods, matchPublicRoute, maxBodyBytes } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import { forwardedRequestHeaders, returnedResponseHeader } from './forwarded-headers.js';
import { canonicalTarget } from './public-path.js';

export interface ApiForwarderOptions {
  /** The sidecar's HTTP address, e.g. http://127.0.0.1:3503. */
  sidecarUrl: string;
  /** DAPR_API_TOKEN of the gateway's own sidecar. */
  daprApiToken: string;
  /** The app id that answers `/api/*`. */
  targetAppId: string;
  /** Where the gateway mounts the API, so the API writes image URLs a browser can open through it. */
  mountPath: string;
  log: Logger;
  timeoutMs?: number;
}

function refuse(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.set(headers).status(status).json({ error: { code, message } });
}

/** Thrown into the upload when a body without a Content-Length grows past its route's bound. */
class BodyTooLarge extends Error {}

/** The request body as a stream that fails once it carries more than `limit` bytes. */
function boundedBody(req: Request, limit: number): Readable {
  let seen = 0;
  return req.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        done(seen > limit ? new BodyTooLarge() : null, chunk);
      },
    }),
  );
}

function tooLarge(res: Response, limit: number): void {
  res.set('Connection', 'close');
  refuse(res, 413, 'too_large', `The request body is larger than this route takes (${limit / 1024 / 1024} MB).`);
}

function requestHeaders(req: Request, mountPath: string, daprApiToken: string): Headers {
  const headers = forwardedRequestHeaders(req.headers);
  headers.set('x-forwarded-host', req.get('host') ?? 'localhost');
  headers.set('x-forwarded-proto', req.protocol);
  headers.set('x-forwarded-prefix', mountPath);
  headers.set('dapr-api-token', daprApiToken);
  return headers;
}

function copyResponseHeaders(from: globalThis.Response, to: Response): void {
  from.headers.forEach((value, name) => {
    if (returnedResponseHeader(name)) to.setHeader(name, value);
  });
  // fetch undoes a content encoding, and with it the length; otherwise the length stays, for downloads and ranges.
  const length = from.headers.get('content-length');
  if (length !== null && !from.headers.has('content-encoding')) to.setHeader('content-length', length);
}

/**
 * Forwards the public API, and nothing else, to `api` through Dapr service invocation, streaming both bodies. The
 * target must be canonical (no dot segments, no encoded bytes, no backslashes) and in the public route table; what
 * is forwarded is the path that matched, never the raw one, so nothing can walk out of `/v1.0/invoke/api/method`.
 */
export function apiForwarder({ sidecarUrl, daprApiToken, targetAppId, mountPath, log, timeoutMs = 60_000 }: ApiForwarderOptions): RequestHandler {
  const base = `${sidecarUrl}/v1.0/invoke/${targetAppId}/method`;
  return (req, res) => {
    // The target as it came, not express's req.url: express tidies some forms (`//`) before a handler sees them.
    const target = req.originalUrl.startsWith(`${mountPath}/`) ? canonicalTarget(req.originalUrl.slice(mountPath.length)) : undefined;
    if (!target) return refuse(res, 404, 'not_found', 'There is no such API path.');
    const route = matchPublicRoute(req.method, target.path);
    if (!route) {
      const allowed = allowedMethods(target.path);
      if (allowed.length) return refuse(res, 405, 'method_not_allowed', `${target.path} answers ${allowed.join(', ')}.`, { Allow: allowed.join(', ') });
      return refuse(res, 404, 'not_found', `There is no ${req.method} ${target.path}.`);
    }
    const limit = maxBodyBytes(route);
    if (Number(req.get('content-length') ?? 0) > limit) return tooLarge(res, limit);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const body = hasBody ? boundedBody(req, limit) : undefined;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    res.once('close', () => {
      clearTimeout(timer);
      abort.abort();
    });
    fetch(`${base}${target.path}${target.query}`, {
      method: req.method,
      headers: requestHeaders(req, mountPath, daprApiToken),
      signal: abort.signal,
      ...(body ? { body: Readable.toWeb(body) as ReadableStream, duplex: 'half' } : {}),
    } as RequestInit)
      .then(async (answer) => {
        res.status(answer.status);
        copyResponseHeaders(answer, res);
        if (!answer.body) return void res.end();
        await new Promise<void>((done, fail) => {
          Readable.fromWeb(answer.body as WebReadableStream).on('error', fail).pipe(res).on('finish', done).on('error', fail);
        });
      })
      .catch((error: unknown) => {
        if (res.writableEnded || res.destroyed) return;
        if ((error as { cause?: unknown }).cause instanceof BodyTooLarge && !res.headersSent) return tooLarge(res, limit);
        log.warn('forwarding to the api failed', { method: req.method, path: target.path, error });
        if (res.headersSent) return void res.destroy();
        refuse(res, 502, 'api_unavailable', 'The API did not answer; try again in a moment.');
      })
      .finally(() => clearTimeout(timer));
  };
}
