import express from 'express';
import { type ImportMetrics, metricsHandler } from '@importer/observability';
import { appChannelGuard } from './app-channel-guard.js';

const OPEN_ROUTES = new Set(['GET /health', 'GET /metrics']);

/**
 * The express app of a service that serves no API of its own (lister, transfer): `GET /health` for probes and
 * `GET /metrics` for Prometheus, open to whoever reaches the app port; the Dapr server adds its subscription routes,
 * which answer only the sidecar.
 */
export function createServiceApp(metrics: Pick<ImportMetrics, 'registry'>, appApiToken: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(appChannelGuard({ appApiToken, isOpen: (method, path) => OPEN_ROUTES.has(`${method} ${path}`) }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', metricsHandler(metrics.registry));
  return app;
}
