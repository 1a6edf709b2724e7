import { Router } from 'express';
import type { ReadinessService } from './readiness.service.js';

/** `GET /health`: the process answers (liveness). `GET /ready`: its database and sidecar answer too. */
export function healthRouter(readiness: ReadinessService): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const report = await readiness.report();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });
  return router;
}
