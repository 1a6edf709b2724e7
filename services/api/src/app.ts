import express from 'express';
import type { Logger } from '@importer/observability';
import { healthRouter } from './health.router.js';
import { errorHandler, notFound } from './http/error.middleware.js';
import type { ImagesService } from './images/images.service.js';
import { imagesRouter } from './images/images.router.js';
import type { ImportService } from './imports/import.service.js';
import { importsRouter } from './imports/imports.router.js';
import { urlImportsRouter } from './imports/url-imports.router.js';
import type { JobsService } from './jobs/jobs.service.js';
import { jobsRouter } from './jobs/jobs.router.js';
import { openApiDocument } from './openapi.js';
import type { ReadinessService } from './readiness.service.js';

export interface ApiDependencies {
  readiness: ReadinessService;
  imports: ImportService;
  jobs: JobsService;
  images: ImagesService;
}

/** Builds the express app without listening, so tests and the Dapr server can both drive it. */
export function buildApp(deps: ApiDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Before the 1 MB JSON parser: a list of URLs is larger, and a CSV streams.
  app.use(urlImportsRouter(deps.imports));
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRouter(deps.readiness));
  app.use(importsRouter(deps.imports));
  app.use(jobsRouter(deps.jobs));
  app.use(imagesRouter(deps.images));
  const openApi = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
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
