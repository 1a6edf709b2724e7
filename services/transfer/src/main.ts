import { BINDING_MAX_PAYLOAD_BYTES, filesFoundTopic, imageStoredTopic } from '@importer/contracts';
import { createDataSource, FileOutcomesRepository, ImagesRepository, JobSummariesRepository, leaseKeeperFor } from '@importer/db';
import { createImportMetrics, createLogger } from '@importer/observability';
import { createImageSources } from '@importer/providers';
import {
  ActorInvoker,
  createDaprClient,
  createDaprServer,
  createS3Client,
  createServiceApp,
  installCrashGuards,
  LeasedRequestBudget,
  ObjectStoreBinding,
  Publisher,
  SidecarGrpcClient,
  subscribeTopic,
} from '@importer/sidecar';
import { loadTransferConfig } from './config.js';
import { FileTransferService } from './file-transfer.service.js';
import { FilesFoundHandler } from './files-found.handler.js';
import { ImagePreviewService } from './image-preview.service.js';
import { PreviewRenderer } from './preview-renderer.js';
import { S3StreamingStore } from './s3-streaming.store.js';
import { Semaphore } from './semaphore.js';

const config = loadTransferConfig();
const { sidecar } = config;
const log = createLogger({ service: 'transfer', level: sidecar.logLevel });
installCrashGuards(log);
const metrics = createImportMetrics('transfer');

const dataSource = await createDataSource({ databaseUrl: config.databaseUrl, poolSize: Math.min(20, config.concurrency + 4) }).initialize();
const daprClient = createDaprClient(sidecar);
const actors = new ActorInvoker(sidecar.sidecarUrl, sidecar.daprApiToken);
const sources = createImageSources(config, (kind) => new LeasedRequestBudget(actors, kind, log));

const images = new ImagesRepository(dataSource);
// Uploads go through a lean gRPC client of their own; publishing and the rest through the SDK's.
const sidecarGrpc = new SidecarGrpcClient(sidecar);
const binding = new ObjectStoreBinding(sidecarGrpc);
const renderer = new PreviewRenderer(log, { timeoutMs: config.previewTimeoutMs });
const previews = new ImagePreviewService({
  read: (key) => binding.get(key),
  render: (original) => renderer.render(original),
  binding,
  images,
  limiter: new Semaphore(config.previewConcurrency),
  maxBytes: BINDING_MAX_PAYLOAD_BYTES,
  log,
});
const outcomes = new FileOutcomesRepository(dataSource);
const { worker } = config;
const leases = leaseKeeperFor((holder, ttlMs, pairs) => outcomes.renewLeases(holder, ttlMs, pairs), worker, log);
const handler = new FilesFoundHandler({
  transfers: new FileTransferService({
    sources,
    images,
    binding,
    streaming: new S3StreamingStore(await createS3Client(daprClient, config.s3), config.s3.bucket),
    download: config.download,
  }),
  outcomes,
  summaries: new JobSummariesRepository(dataSource),
  publisher: new Publisher(daprClient),
  limiter: new Semaphore(config.concurrency),
  maxAttempts: config.maxAttempts,
  batchTimeoutMs: config.batchTimeoutMs,
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
await subscribeTopic(server, { topic: filesFoundTopic, handle: (batch) => handler.handle(batch), onDeadLetter: (message) => handler.deadLetter(message) }, log);
await subscribeTopic(
  server,
  {
    topic: imageStoredTopic,
    // A preview asked for while this replica shuts down goes back to the broker, for another replica.
    handle: (event) => (handler.draining ? Promise.reject(new Error('shutting down')) : previews.handle(event)),
    // The gallery falls back to the original; nothing else depends on a preview.
    onDeadLetter: async (message) => log.warn('a preview could not be made after every retry', { message }),
  },
  log,
);
await server.start();
log.info('transfer listening', { port: config.appPort, holder: worker.lease.holder, concurrency: config.concurrency, sources: Object.keys(sources), download: config.download, batchTimeoutMs: config.batchTimeoutMs });

// SIGTERM (Kubernetes, a rolling restart): hand back what arrives, let what runs finish for the grace, then exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down: handing back new work', { signal, graceMs: worker.shutdownGraceMs, leases: leases.size });
    void handler
      .drain(worker.shutdownGraceMs)
      .finally(() => {
        renderer.close();
        sidecarGrpc.close();
        return server.stop();
      })
      .finally(() => dataSource.destroy().finally(() => process.exit(0)));
  });
}
