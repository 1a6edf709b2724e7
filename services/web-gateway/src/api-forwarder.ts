import { type IncomingMessage, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { Transform } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import { allowedMethods, matchPublicRoute, maxBodyBytes, URL_LIST_CSV_MAX_BYTES } from '@importer/contracts';
import { drainRequest } from '@importer/sidecar';
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
  /** How long the API may take to start answering. */
  timeoutMs?: number;
}

/** Answers at once; what the client still sends is read and dropped, up to the largest body a route takes and 10 s. */
function refuse(req: Request, res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.once('finish', () => void drainRequest(req, URL_LIST_CSV_MAX_BYTES, 10_000));
  res.set(headers).status(status).json({ error: { code, message } });
}

function tooLarge(req: Request, res: Response, limit: number): void {
  refuse(req, res, 413, 'too_large', `The request body is larger than this route takes (${limit / 1024 / 1024} MB).`);
}

/** Counts a body as it passes and fails it once it carries more than `limit` bytes. */
function byteLimit(limit: number): Transform & { exceeded: () => boolean } {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? new Error(`the body passed ${limit} bytes`) : null, chunk);
    },
  });
  return Object.assign(counter, { exceeded: () => seen > limit });
}

function requestHeaders(req: Request, mountPath: string, daprApiToken: string): OutgoingHttpHeaders {
  const headers = Object.fromEntries(forwardedRequestHeaders(req.headers)) as OutgoingHttpHeaders;
  headers['x-forwarded-host'] = req.get('host') ?? 'localhost';
  headers['x-forwarded-proto'] = req.protocol;
  headers['x-forwarded-prefix'] = mountPath;
  // The client's address, for the API's per-address limits on sign-in and sign-up (a client's own value was dropped).
  headers['x-real-ip'] = req.ip ?? req.socket.remoteAddress ?? '';
  headers['dapr-api-token'] = daprApiToken;
  const length = req.get('content-length');
  if (length !== undefined) headers['content-length'] = length;
  else if (req.get('transfer-encoding')) headers['transfer-encoding'] = 'chunked';
  return headers;
}

function relay(answer: IncomingMessage, res: Response): void {
  res.status(answer.statusCode ?? 502);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && (returnedResponseHeader(name) || name === 'content-length')) res.setHeader(name, value);
  }
  answer.on('error', () => res.destroy());
  answer.pipe(res);
}

/**
 * Forwards the public API, and nothing else, to `api` through Dapr service invocation, streaming both bodies. The
 * target must be canonical (no dot segments, no encoded bytes, no backslashes) and in the public route table; what
 * is forwarded is the path that matched, never the raw one, so nothing can walk out of `/v1.0/invoke/api/method`.
 * An answer that comes before the whole body was sent (a 4xx for a bad upload) still reaches the client.
 */
export function apiForwarder({ sidecarUrl, daprApiToken, targetAppId, mountPath, log, timeoutMs = 60_000 }: ApiForwarderOptions): RequestHandler {
  const sidecar = new URL(sidecarUrl);
  const base = `/v1.0/invoke/${targetAppId}/method`;
  return (req, res) => {
    // The target as it came, not express's req.url: express tidies some forms (`//`) before a handler sees them.
    const target = req.originalUrl.startsWith(`${mountPath}/`) ? canonicalTarget(req.originalUrl.slice(mountPath.length)) : undefined;
    if (!target) return refuse(req, res, 404, 'not_found', 'There is no such API path.');
    const route = matchPublicRoute(req.method, target.path);
    if (!route) {
      const allowed = allowedMethods(target.path);
      if (allowed.length) return refuse(req, res, 405, 'method_not_allowed', `${target.path} answers ${allowed.join(', ')}.`, { Allow: allowed.join(', ') });
      return refuse(req, res, 404, 'not_found', `There is no ${req.method} ${target.path}.`);
    }
    const limit = maxBodyBytes(route);
    if (Number(req.get('content-length') ?? 0) > limit) return tooLarge(req, res, limit);

    let answered = false;
    const upstream = httpRequest({
      host: sidecar.hostname,
      port: sidecar.port,
      method: req.method,
      path: `${base}${target.path}${target.query}`,
      headers: requestHeaders(req, mountPath, daprApiToken),
      timeout: timeoutMs,
    });
    const counter = byteLimit(limit);
    const fail = (error: unknown) => {
      // Once the answer is under way, a failed upload (the api stopped reading a refused body) is no news.
      if (answered || res.headersSent || res.destroyed) return;
      answered = true;
      upstream.destroy();
      if (counter.exceeded()) return tooLarge(req, res, limit);
      log.warn('forwarding to the api failed', { method: req.method, path: target.path, error });
      refuse(req, res, 502, 'api_unavailable', 'The API did not answer; try again in a moment.');
    };
    upstream.on('response', (answer) => {
      if (answered) return void answer.resume();
      answered = true;
      relay(answer, res);
    });
    upstream.on('timeout', () => fail(new Error(`no answer within ${timeoutMs} ms`)));
    upstream.on('error', fail);
    counter.on('error', fail);
    res.once('close', () => upstream.destroy());
    req.pipe(counter).pipe(upstream);
  };
}
