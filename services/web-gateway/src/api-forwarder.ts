import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@importer/observability';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those fetch sets itself: never copied across the proxy. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

export interface ApiForwarderOptions {
  /** The sidecar's HTTP address, e.g. http://127.0.0.1:3503. */
  sidecarUrl: string;
  /** The app id that answers `/api/*`. */
  targetAppId: string;
  /** Where the gateway mounts the API, so the API writes image URLs a browser can open through it. */
  mountPath: string;
  log: Logger;
  timeoutMs?: number;
}

function requestHeaders(req: Request, mountPath: string): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set('x-forwarded-host', req.get('host') ?? 'localhost');
  headers.set('x-forwarded-proto', req.protocol);
  headers.set('x-forwarded-prefix', mountPath);
  return headers;
}

function copyResponseHeaders(from: globalThis.Response, to: Response): void {
  from.headers.forEach((value, name) => {
    if (!NOT_FORWARDED.has(name) && name !== 'content-encoding') to.setHeader(name, value);
  });
}

/** Forwards a request under the mount path to the API through Dapr service invocation, streaming both bodies. */
export function apiForwarder({ sidecarUrl, targetAppId, mountPath, log, timeoutMs = 60_000 }: ApiForwarderOptions): RequestHandler {
  const base = `${sidecarUrl}/v1.0/invoke/${targetAppId}/method`;
  return (req, res) => {
    const target = `${base}${req.url}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const abort = AbortSignal.timeout(timeoutMs);
    fetch(target, {
      method: req.method,
      headers: requestHeaders(req, mountPath),
      signal: abort,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
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
        log.warn('forwarding to the api failed', { method: req.method, path: req.url, error });
        if (res.headersSent) return void res.destroy();
        res.status(502).json({ error: { code: 'api_unavailable', message: 'The API did not answer; try again in a moment.' } });
      });
  };
}
