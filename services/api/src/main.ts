import { createDataSource, ImagesRepository, ImportLedger, JobSummaries } from '@importer/db';
import { createImportMetrics, createLogger, metricsHandler } from '@importer/observability';
import { GoogleDriveSource, parseDriveFolderLink } from '@importer/providers';
import { ActorInvoker, createDaprClient, createDaprServer, getObject, installCrashGuards, LeasedRequestBudget, Publisher } from '@importer/sidecar';
import { importJobActor } from './actors/import-job.actor.js';
import { ImportJobClient } from './actors/import-job.client.js';
import { requestQuotaActor } from './actors/request-quota.actor.js';
import { addFallbacks, buildApp } from './app.js';
import { loadApiConfig } from './config.js';
import type { FolderSources } from './imports/import.service.js';
import { ImagesService } from './images/images.service.js';
import { ImportService } from './imports/import.service.js';
import { JobsService } from './jobs/jobs.service.js';
import { ReadinessService } from './readiness.service.js';
import { subscribeJobEvents } from './subscriptions/job-events.subscriptions.js';

const config = loadApiConfig();
const { sidecar } = config;
const log = createLogger({ service: 'api', level: sidecar.logLevel });
installCrashGuards(log);

const dataSource = await createDataSource({ databaseUrl: config.databaseUrl }).initialize();
const actors = new ActorInvoker(sidecar.sidecarUrl);
const daprClient = createDaprClient({ daprHost: sidecar.daprHost, daprGrpcPort: sidecar.daprGrpcPort });
const publisher = new Publisher(daprClient);
const ledger = new ImportLedger(dataSource);
const summaries = new JobSummaries(dataSource);
const jobClient = new ImportJobClient(actors);

const sources: FolderSources = {};
if (config.google) {
  sources.google_drive = {
    parseFolderLink: (url) => {
      const link = parseDriveFolderLink(url);
      return { id: link.folderId, path: '', ...(link.resourceKey ? { resourceKey: link.resourceKey } : {}) };
    },
    source: new GoogleDriveSource({ ...config.google, budget: new LeasedRequestBudget(actors, 'google_drive', log) }),
  };
} else {
  log.warn('GOOGLE_API_KEY is not set: Google Drive imports answer 501');
}

const readiness = new ReadinessService([
  { name: 'database', probe: async () => void (await dataSource.query('SELECT 1')) },
  {
    name: 'sidecar',
    probe: async () => {
      const response = await fetch(`${sidecar.sidecarUrl}/v1.0/healthz/outbound`);
      if (!response.ok) throw new Error(`sidecar answered ${response.status}`);
    },
  },
]);

const app = buildApp({
  readiness,
  imports: new ImportService(sources, jobClient),
  jobs: new JobsService(summaries, ledger, jobClient),
  images: new ImagesService(new ImagesRepository(dataSource), (key) => getObject(daprClient, key)),
});
const metrics = createImportMetrics('api');
metrics.observeQueueLag(() => ledger.backlog());
app.get('/metrics', metricsHandler(metrics.registry));
const server = createDaprServer({
  appPort: config.port,
  appHost: sidecar.appHost,
  daprHost: sidecar.daprHost,
  daprHttpPort: sidecar.daprHttpPort,
  app,
  actors: { idleTimeout: '30m', scanInterval: '30s' },
});
await server.actor.init();
await server.actor.registerActor(
  importJobActor({ ledger, summaries, publisher, log, now: () => new Date(), watchdog: { ...config.watchdog, republishLimit: 5_000 } }),
);
await server.actor.registerActor(
  requestQuotaActor(() => ({ maxRate: config.googleRequestsPerSecond, minRate: Math.max(1, config.googleRequestsPerSecond / 20), recoveryPerSecond: 0.05 })),
);
await subscribeJobEvents(server, jobClient, log);
await server.start();
addFallbacks(app, log);
log.info('api listening', { port: config.port, sources: Object.keys(sources) });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal });
    void server.stop().finally(() => dataSource.destroy().finally(() => process.exit(0)));
  });
}
