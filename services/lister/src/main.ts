import { listRequestedTopic } from '@importer/contracts';
import { createDataSource, FolderListingsRepository, JobSummariesRepository, UrlListsRepository } from '@importer/db';
import { createImportMetrics, createLogger } from '@importer/observability';
import { createImageSources } from '@importer/providers';
import { ActorInvoker, createDaprClient, createDaprServer, createServiceApp, installCrashGuards, LeasedRequestBudget, Publisher, subscribeTopic } from '@importer/sidecar';
import { loadListerConfig } from './config.js';
import { ListRequestedHandler } from './list-requested.handler.js';

const config = loadListerConfig();
const { sidecar } = config;
const log = createLogger({ service: 'lister', level: sidecar.logLevel });
installCrashGuards(log);
const metrics = createImportMetrics('lister');

const dataSource = await createDataSource({ databaseUrl: config.databaseUrl }).initialize();
const actors = new ActorInvoker(sidecar.sidecarUrl, sidecar.daprApiToken);
const sources = createImageSources(config, (kind) => new LeasedRequestBudget(actors, kind, log), new UrlListsRepository(dataSource));

const handler = new ListRequestedHandler({
  sources,
  listings: new FolderListingsRepository(dataSource),
  summaries: new JobSummariesRepository(dataSource),
  publisher: new Publisher(createDaprClient(sidecar)),
  log,
  metrics,
});

const server = createDaprServer({
  appPort: config.appPort,
  sidecar,
  app: createServiceApp(metrics, sidecar.appApiToken),
});
await subscribeTopic(
  server,
  {
    topic: listRequestedTopic,
    handle: (request) => handler.handle(request),
    // The folder stays `listing` in the ledger, so the job's watchdog asks for this page again later.
    onDeadLetter: async (message) => log.error('a listing request failed every retry; the job watchdog will re-send it', { message }),
  },
  log,
);
await server.start();
log.info('lister listening', { port: config.appPort, sources: Object.keys(sources) });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.stop().finally(() => dataSource.destroy().finally(() => process.exit(0))));
}
