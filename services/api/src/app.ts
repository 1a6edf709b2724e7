import express from 'express';
import { healthRouter } from './health.router.js';
import type { ReadinessService } from './readiness.service.js';

export interface ApiDependencies {
  readiness: ReadinessService;
}

/** Builds the express app without listening, so tests and the Dapr server can both drive it. */
export function buildApp(deps: ApiDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(deps.readiness));
  return app;
}
