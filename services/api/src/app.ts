import express from 'express';
import type { Logger } from '@importer/observability';
import { healthRouter } from './health.router.js';
import { errorHandler, notFound } from './http/error.middleware.js';
import type { ImportService } from './imports/import.service.js';
import { importsRouter } from './imports/imports.router.js';
import type { JobsService } from './jobs/jobs.service.js';
import { jobsRouter } from './jobs/jobs.router.js';
import type { ReadinessService } from './readiness.service.js';

export interface ApiDependencies {
  readiness: ReadinessService;
  imports: ImportService;
  jobs: JobsService;
}

/** Builds the express app without listening, so tests and the Dapr server can both drive it. */
export function buildApp(deps: ApiDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRouter(deps.readiness));
  app.use(importsRouter(deps.imports));
  app.use(jobsRouter(deps.jobs));
  return app;
}

/**
 * The 404 and error handlers, added last: the Dapr SDK adds its own routes (`/dapr/subscribe`) to the app
 * when the server starts, and a catch-all registered before them would swallow them.
 */
export function addFallbacks(app: express.Express, log: Logger): void {
  app.use(notFound);
  app.use(errorHandler(log));
}
