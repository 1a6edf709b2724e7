import { Router } from 'express';
import { expressPath, PublicRoutes } from '@importer/contracts';
import type { ReadinessService } from './readiness.service.js';

/** `GET /ready`: for the cluster's probes on the app port; the gateway does not forward it (its checks name internals). */
export const READINESS_PATH = '/ready';

/** `GET /health`: the process answers (liveness, public). `GET /ready`: its database and sidecar answer too. */
export function healthRouter(readiness: ReadinessService): Router {
  const router = Router();
  router.get(expressPath(PublicRoutes.health), (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(READINESS_PATH, async (_req, res) => {
    const report = await readiness.report();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });
  return router;
}
