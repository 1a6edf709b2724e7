import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { RequestHandler } from 'express';
import { PublicRoutes } from '@importer/contracts';
import { apiDocsRouter } from './api-docs.js';

export interface WebAppOptions {
  /** The Vite build: index.html and assets/. */
  staticDir: string;
  /** Answers everything under `/api`. */
  api: RequestHandler;
  /** The proxies whose X-Forwarded-For is believed (express `trust proxy`); default loopback. */
  trustProxy?: string;
}

export const API_MOUNT_PATH = '/api';

// Vite emits no inline script; images come from the API's sandboxed content route on this same origin. The API
// reference at /docs is served from local files under the same policy.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The `web` app: the SPA's files, history-mode fallback to index.html, the API under `/api` and its reference at `/docs`. */
export function buildWebApp({ staticDir, api, trustProxy = 'loopback' }: WebAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(API_MOUNT_PATH, api);
  // The sidecar asks every app for its actors and subscriptions; the gateway has none, and must not answer with the SPA.
  app.all(/^\/(?:dapr|actors)(?:\/|$)/, (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'The web gateway hosts no actors or subscriptions.' } });
  });

  const indexFile = join(staticDir, 'index.html');
  app.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
    next();
  });
  app.use(apiDocsRouter({ specUrl: `${API_MOUNT_PATH}${PublicRoutes.openApi.path}` }));
  // File names under assets/ carry a content hash, so they never change.
  app.use('/assets', express.static(join(staticDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(staticDir, { index: false, maxAge: 0 }));
  app.get('*', (req, res) => {
    if (!existsSync(indexFile)) {
      res.status(503).type('text/plain').send(`The web app is not built: run "npm run build -w web" (looked in ${staticDir}).`);
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(indexFile);
  });
  return app;
}
