import { listRequestedTopic } from '@importer/contracts';
import { createDataSource, FolderListingsRepository, JobSummariesRepository, leaseKeeperFor, UrlListsRepository } from '@importer/db';
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

const listings = new FolderListingsRepository(dataSource);
const { worker } = config;
const leases = leaseKeeperFor((holder, ttlMs, pairs) => listings.renewLeases(holder, ttlMs, pairs), worker, log);
const handler = new ListRequestedHandler({
  sources,
  listings,
  summaries: new JobSummariesRepository(dataSource),
  publisher: new Publisher(createDaprClient(sidecar)),
  lease: worker.lease,
  leases,
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
    // The folder stays `listing` in the ledger, so the job's watchdog (or, under a lease, the reaper) asks for this page again.
    onDeadLetter: async (message) => log.error('a listing request failed every retry; the job watchdog will re-send it', { message }),
  },
  log,
);
await server.start();
log.info('lister listening', { port: config.appPort, holder: worker.lease.holder, sources: Object.keys(sources) });

// SIGTERM (Kubernetes, a rolling restart): hand back what arrives, let a page being listed finish, then exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down: handing back new pages', { signal, graceMs: worker.shutdownGraceMs });
    void handler
      .drain(worker.shutdownGraceMs)
      .finally(() => server.stop())
      .finally(() => dataSource.destroy().finally(() => process.exit(0)));
  });
}
