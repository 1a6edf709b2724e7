import express from 'express';
import { type ImportMetrics, metricsHandler } from '@importer/observability';

/**
 * The express app of a service that serves no API of its own (lister, transfer): `GET /health` for probes and
 * `GET /metrics` for Prometheus. The Dapr server adds its subscription routes to it.
 */
export function createServiceApp(metrics: Pick<ImportMetrics, 'registry'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', metricsHandler(metrics.registry));
  return app;
}
