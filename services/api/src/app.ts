import express from 'express';
import { IMPORT_JOB_ACTOR, IMPORT_JOB_METHODS, matchPublicRoute, PUBLIC_JSON_MAX_BYTES, PublicRoutes, REQUEST_QUOTA_ACTOR, REQUEST_QUOTA_METHODS } from '@importer/contracts';
import type { Logger } from '@importer/observability';
import { appChannelGuard } from '@importer/sidecar';
import { accountRouter, usersRouter } from './accounts/account.router.js';
import type { AccountsService } from './accounts/accounts.service.js';
import { authentication } from './accounts/authentication.middleware.js';
import { type AuthRouterOptions, authRouter } from './accounts/auth.router.js';
import { healthRouter, READINESS_PATH } from './health.router.js';
import type { ConcurrencyLimit } from './http/concurrency-limit.js';
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
import type { UserWebhookSecrets } from './webhooks/user-webhook-secrets.js';

/** Where Prometheus scrapes the app port; like READINESS_PATH, for the cluster and not forwarded by the gateway. */
export const METRICS_PATH = '/metrics';

export interface ApiDependencies {
  readiness: ReadinessService;
  imports: ImportService;
  jobs: JobsService;
  images: ImagesService;
  /** Image downloads streaming at once; past it, 429. */
  imageReads: ConcurrencyLimit;
  /** APP_API_TOKEN: the SDK's actor and subscription routes answer only the sidecar that sends it. */
  appApiToken: string;
  accounts: AccountsService;
  signUp: 'open' | 'closed';
  /** Absent when no WEBHOOK_SECRET is configured. */
  webhookSecrets?: UserWebhookSecrets;
  auth: AuthRouterOptions;
}

/** Open on the app port: the public route table, and readiness and metrics for the cluster. */
function isOpen(method: string, path: string): boolean {
  return matchPublicRoute(method, path) !== undefined || (method === 'GET' && (path === READINESS_PATH || path === METRICS_PATH));
}

/** Builds the express app without listening, so tests and the Dapr server can both drive it. */
export function buildApp(deps: ApiDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    appChannelGuard({
      appApiToken: deps.appApiToken,
      isOpen,
      actorMethods: { [IMPORT_JOB_ACTOR]: IMPORT_JOB_METHODS, [REQUEST_QUOTA_ACTOR]: REQUEST_QUOTA_METHODS },
    }),
  );
  // An import's 202 carries its webhook secret: no cache keeps any answer to a POST.
  app.use((req, res, next) => {
    if (req.method === 'POST') res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(authentication(deps.accounts));
  // Before the JSON parser: a CSV streams.
  app.use(urlImportsRouter(deps.imports));
  app.use(express.json({ limit: PUBLIC_JSON_MAX_BYTES }));
  app.use(healthRouter(deps.readiness));
  app.use(authRouter(deps.accounts, deps.auth, deps.signUp));
  app.use(accountRouter(deps.accounts, deps.webhookSecrets));
  app.use(usersRouter(deps.accounts));
  app.use(importsRouter(deps.imports));
  app.use(jobsRouter(deps.jobs));
  app.use(imagesRouter(deps.images, deps.imageReads));
  const openApi = openApiDocument();
  app.get(PublicRoutes.openApi.path, (_req, res) => {
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
