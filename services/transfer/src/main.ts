import { S3Client } from '@aws-sdk/client-s3';
import { ComponentName, filesFoundTopic } from '@importer/contracts';
import { createDataSource, ImagesRepository, ImportLedger, JobSummaries } from '@importer/db';
import { createImportMetrics, createLogger } from '@importer/observability';
import { GoogleDriveSource, type ImageSource } from '@importer/providers';
import {
  ActorInvoker,
  createDaprClient,
  createDaprServer,
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
import { S3StreamingStore } from './s3-streaming.store.js';
import { Semaphore } from './semaphore.js';

const config = loadTransferConfig();
const { sidecar } = config;
const log = createLogger({ service: 'transfer', level: sidecar.logLevel });
installCrashGuards(log);
const metrics = createImportMetrics('transfer');

const dataSource = await createDataSource({ databaseUrl: config.databaseUrl, poolSize: Math.min(20, config.concurrency + 4) }).initialize();
const daprClient = createDaprClient({ daprHost: sidecar.daprHost, daprGrpcPort: sidecar.daprGrpcPort });
const actors = new ActorInvoker(sidecar.sidecarUrl);
const sources: { google_drive?: ImageSource } = {};
if (config.google) sources.google_drive = new GoogleDriveSource({ ...config.google, budget: new LeasedRequestBudget(actors, 'google_drive', log) });

/** The streaming path reads the same credentials the S3 binding uses, from the secret store. */
async function streamingS3(): Promise<S3Client> {
  const secret = async (name: string) => {
    const value = (await daprClient.secret.get(ComponentName.secretStore, name)) as Record<string, string>;
    const found = value[name];
    if (!found) throw new Error(`secret ${name} is missing from ${ComponentName.secretStore}`);
    return found;
  };
  return new S3Client({
    region: config.s3.region,
    forcePathStyle: config.s3.forcePathStyle,
    ...(config.s3.endpoint ? { endpoint: config.s3.endpoint } : {}),
    credentials: { accessKeyId: await secret('S3_ACCESS_KEY'), secretAccessKey: await secret('S3_SECRET_KEY') },
  });
}

const ledger = new ImportLedger(dataSource);
const handler = new FilesFoundHandler({
  transfers: new FileTransferService({
    sources,
    images: new ImagesRepository(dataSource),
    binding: new ObjectStoreBinding(daprClient),
    streaming: new S3StreamingStore(await streamingS3(), config.s3.bucket),
  }),
  ledger,
  summaries: new JobSummaries(dataSource),
  publisher: new Publisher(daprClient),
  limiter: new Semaphore(config.concurrency),
  maxAttempts: config.maxAttempts,
  log,
  metrics,
});

const server = createDaprServer({
  appPort: config.appPort,
  appHost: sidecar.appHost,
  daprHost: sidecar.daprHost,
  daprHttpPort: sidecar.daprHttpPort,
  app: createServiceApp(metrics),
});
await subscribeTopic(server, { topic: filesFoundTopic, handle: (batch) => handler.handle(batch), onDeadLetter: (message) => handler.deadLetter(message) }, log);
await server.start();
log.info('transfer listening', { port: config.appPort, concurrency: config.concurrency, sources: Object.keys(sources) });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.stop().finally(() => dataSource.destroy().finally(() => process.exit(0))));
}
