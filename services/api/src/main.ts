import {
  ApiKeysRepository,
  BacklogRepository,
  ExpiredLeasesRepository,
  createDataSource,
  ImagesRepository,
  JobFilesRepository,
  JobLedgerRepository,
  JobSummariesRepository,
  SessionsRepository,
  UrlListsRepository,
  UsersRepository,
} from '@importer/db';
import { createImportMetrics, createLogger, metricsHandler } from '@importer/observability';
import { ComponentName, FOLDER_LINK_SOURCES, isFolderLinkSource, PublicRoutes, sourceEntry, WEBHOOK_SECRET_NAME } from '@importer/contracts';
import { createImageSources, folderLinkParsers } from '@importer/providers';
import { ActorInvoker, createDaprClient, createDaprServer, createS3Client, installCrashGuards, LeasedRequestBudget, ownSidecarCheck, Publisher } from '@importer/sidecar';
import { AccountsService } from './accounts/accounts.service.js';
import { createFirstAdminFromConfig } from './accounts/first-admin.js';
import { OIDC_PENDING_COOKIE, OIDC_PENDING_MAX_AGE_MS, OidcSignIn } from './accounts/oidc/oidc-sign-in.js';
import { Argon2idPasswordHasher } from './accounts/password-hasher.js';
import { clientAddressOf } from './http/client-address.js';
import { addressRateLimit } from './http/rate-limits.js';
import { connectRedisCommands } from './http/redis-commands.js';
import { ImportQuotas } from './imports/import-quotas.js';
import { UserWebhookSecrets } from './webhooks/user-webhook-secrets.js';
import { importJobActor } from './actors/import-job.actor.js';
import { ImportJobClient } from './actors/import-job.client.js';
import { requestQuotaActor } from './actors/request-quota.actor.js';
import { addFallbacks, buildApp, METRICS_PATH } from './app.js';
import { ConcurrencyLimit } from './http/concurrency-limit.js';
import { S3ObjectReader } from './images/object-reader.js';
import { loadApiConfig } from './config.js';
import type { FolderSources } from './imports/import.service.js';
import { ImagesService } from './images/images.service.js';
import { ImportService } from './imports/import.service.js';
import { JobsService } from './jobs/jobs.service.js';
import { LeaseReaper } from './leases/lease-reaper.js';
import { ReadinessService } from './readiness.service.js';
import { subscribeJobEvents } from './subscriptions/job-events.subscriptions.js';
import { WebhookSecrets } from './webhooks/webhook-secret.js';
import { WebhookSender } from './webhooks/webhook.sender.js';

const config = loadApiConfig();
const { sidecar } = config;
const log = createLogger({ service: 'api', level: sidecar.logLevel });
installCrashGuards(log);

const dataSource = await createDataSource({ databaseUrl: config.databaseUrl }).initialize();
const actors = new ActorInvoker(sidecar.sidecarUrl, sidecar.daprApiToken);
const daprClient = createDaprClient(sidecar);
const publisher = new Publisher(daprClient);
const summaries = new JobSummariesRepository(dataSource);
const jobClient = new ImportJobClient(actors);

const sources: FolderSources = {};
for (const source of Object.values(createImageSources(config, (kind) => new LeasedRequestBudget(actors, kind, log)))) {
  if (isFolderLinkSource(source.kind)) sources[source.kind] = { parseFolderLink: folderLinkParsers[source.kind], source };
}
for (const { kind, route, importDoc } of FOLDER_LINK_SOURCES) {
  if (!sources[kind]) log.warn(`${importDoc.errors[501]}: ${PublicRoutes[route].path} answers 501`);
}

/** The webhook signing secret, from the Dapr secret store; without it, webhook_url is refused. */
async function webhookSecret(): Promise<string | undefined> {
  try {
    const value = (await daprClient.secret.get(ComponentName.secretStore, WEBHOOK_SECRET_NAME)) as Record<string, string>;
    return value[WEBHOOK_SECRET_NAME] || undefined;
  } catch (error) {
    log.warn(`no ${WEBHOOK_SECRET_NAME} in the secret store: requests with webhook_url answer 501`, { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}
const users = new UsersRepository(dataSource);
const accounts = new AccountsService(
  { users, sessions: new SessionsRepository(dataSource), apiKeys: new ApiKeysRepository(dataSource) },
  new Argon2idPasswordHasher(),
  { sessionTtlMs: config.accounts.sessionTtlMs, signUp: config.accounts.signUp },
);
await createFirstAdminFromConfig(accounts, config.accounts.firstAdmin, log);

const secret = await webhookSecret();
const webhookSecrets = secret ? new UserWebhookSecrets(new WebhookSecrets(secret), users) : undefined;
const webhooks = webhookSecrets ? new WebhookSender(webhookSecrets, { allowedHosts: config.urls.allowedHosts }) : undefined;

const redis = await connectRedisCommands(config.accounts.rateLimitRedis, log);
const clientAddress = clientAddressOf(ownSidecarCheck(sidecar.appApiToken));
const limitOptions = { sendCommand: redis.sendCommand, clientAddress, keyPrefix: config.accounts.rateLimitKeyPrefix, log };
const images = new ImagesRepository(dataSource);

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
  imports: new ImportService(sources, jobClient, {
    urlLists: new UrlListsRepository(dataSource),
    ...(webhookSecrets ? { webhookSecrets } : {}),
    quotas: new ImportQuotas(config.quotas, { countActive: (ownerId) => summaries.countActive(ownerId), storedBytes: (ownerId) => images.storedBytes(ownerId) }),
  }),
  jobs: new JobsService(summaries, new JobFilesRepository(dataSource), jobClient),
  images: new ImagesService(images, new S3ObjectReader(await createS3Client(daprClient, config.s3), config.s3.bucket)),
  imageReads: new ConcurrencyLimit(config.imageReadsMax),
  appApiToken: sidecar.appApiToken,
  accounts,
  signUp: config.accounts.signUp,
  ...(webhookSecrets ? { webhookSecrets } : {}),
  auth: {
    oidc: config.oidc ? new OidcSignIn(config.oidc) : null,
    oidcPendingCookie: { name: OIDC_PENDING_COOKIE, maxAgeMs: OIDC_PENDING_MAX_AGE_MS },
    log,
    limits: {
      signIn: addressRateLimit({ name: 'sign-in', what: 'failed sign-ins', max: config.accounts.signInFailuresPer15Min, windowMs: 15 * 60_000, countFailuresOnly: true }, limitOptions),
      signUp: addressRateLimit({ name: 'sign-up', what: 'new accounts', max: config.accounts.signUpsPerHour, windowMs: 60 * 60_000 }, limitOptions),
    },
  },
});
const metrics = createImportMetrics('api');
const backlog = new BacklogRepository(dataSource);
metrics.observeQueueLag(() => backlog.measure());
app.get(METRICS_PATH, metricsHandler(metrics.registry));
const server = createDaprServer({
  appPort: config.port,
  sidecar,
  app,
  actors: { idleTimeout: '30m', scanInterval: '30s' },
});
await server.actor.init();
await server.actor.registerActor(
  importJobActor({
    ledger: new JobLedgerRepository(dataSource),
    summaries,
    publisher,
    log,
    now: () => new Date(),
    watchdog: { ...config.watchdog, republishLimit: 5_000 },
    ...(webhooks ? { webhooks } : {}),
    webhookRetry: config.webhookRetry,
  }),
);
const rates = config.requestsPerSecond;
await server.actor.registerActor(
  requestQuotaActor((source) => {
    // An actor id that names no source is a bug: its lease fails instead of borrowing another source's rate.
    const maxRate = rates[sourceEntry(source).kind];
    return { maxRate, minRate: Math.max(1, maxRate / 20), recoveryPerSecond: 0.05 };
  }),
);
await subscribeJobEvents(server, jobClient, log);
await server.start();
const reaper = new LeaseReaper({ expired: new ExpiredLeasesRepository(dataSource), publisher, intervalMs: config.leaseReapIntervalMs, limit: 2_000, log });
reaper.start();
addFallbacks(app, log);
log.info('api listening', { port: config.port, sources: Object.keys(sources) });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal });
    void reaper
      .stop()
      .finally(() => server.stop())
      .finally(() => redis.close().catch(() => undefined))
      .finally(() => dataSource.destroy().finally(() => process.exit(0)));
  });
}
