import { BINDING_MAX_PAYLOAD_BYTES, filesFoundTopic, imageStoredTopic } from '@importer/contracts';
import { createDataSource, FileOutcomesRepository, ImagesRepository, JobSummariesRepository } from '@importer/db';
import { createImportMetrics, createLogger } from '@importer/observability';
import { createImageSources } from '@importer/providers';
import {
  ActorInvoker,
  createDaprClient,
  createDaprServer,
  createS3Client,
  getObject,
  createServiceApp,
  installCrashGuards,
  LeasedRequestBudget,
  ObjectStoreBinding,
  Publisher,
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
const binding = new ObjectStoreBinding(daprClient);
const renderer = new PreviewRenderer(log, { timeoutMs: config.previewTimeoutMs });
const previews = new ImagePreviewService({
  read: (key) => getObject(daprClient, key),
  render: (original) => renderer.render(original),
  binding,
  images,
  limiter: new Semaphore(config.previewConcurrency),
  maxBytes: BINDING_MAX_PAYLOAD_BYTES,
  log,
});
const handler = new FilesFoundHandler({
  transfers: new FileTransferService({
    sources,
    images,
    binding,
    streaming: new S3StreamingStore(await createS3Client(daprClient, config.s3), config.s3.bucket),
    download: config.download,
  }),
  outcomes: new FileOutcomesRepository(dataSource),
  summaries: new JobSummariesRepository(dataSource),
  publisher: new Publisher(daprClient),
  limiter: new Semaphore(config.concurrency),
  maxAttempts: config.maxAttempts,
  batchTimeoutMs: config.batchTimeoutMs,
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
    handle: (event) => previews.handle(event),
    // The gallery falls back to the original; nothing else depends on a preview.
    onDeadLetter: async (message) => log.warn('a preview could not be made after every retry', { message }),
  },
  log,
);
await server.start();
log.info('transfer listening', { port: config.appPort, concurrency: config.concurrency, sources: Object.keys(sources), download: config.download, batchTimeoutMs: config.batchTimeoutMs });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    renderer.close();
    void server.stop().finally(() => dataSource.destroy().finally(() => process.exit(0)));
  });
}
