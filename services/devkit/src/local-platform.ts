import { join } from 'node:path';
import { devkitConfig } from './config.js';

/**
 * Addresses of the local platform that `npm start` and `npm test` bring up (scripts/platform) and
 * that the component YAML in `components/` points at. One table, so the two cannot disagree.
 */
export const localPlatform = {
  placement: { host: '127.0.0.1', port: 50005, healthzPort: 58080, metricsPort: 59090 },
  scheduler: { host: '127.0.0.1', port: 50006, healthzPort: 58081, metricsPort: 59091, etcdClientPort: 52379, etcdPeerPort: 52380 },
  /** The certificate authority for mTLS between sidecars and with placement and scheduler; its certificates live in `.data/sentry`. */
  sentry: { host: '127.0.0.1', port: 50007, healthzPort: 58082, metricsPort: 59092, trustDomain: 'localhost' },
  minio: {
    endpoint: 'http://127.0.0.1:9000',
    port: 9000,
    consolePort: 9001,
    region: 'us-east-1',
    accessKey: 'minioadmin',
    secretKey: 'minioadmin',
    bucket: 'images',
  },
  postgres: { url: 'postgres://postgres@127.0.0.1:5432/postgres', database: 'importer' },
  redis: { host: '127.0.0.1', port: 6379 },
  rabbitmq: { url: 'amqp://guest:guest@127.0.0.1:5672', host: '127.0.0.1', port: 5672 },
} as const;

/** Where Sentry keeps its root and issuer certificates (it creates them on first start). */
export function sentryCredentialsDir(): string {
  return join(devkitConfig.dataDir, 'sentry');
}

/** Sentry's root certificate: every sidecar and control-plane daemon trusts it. */
export function trustAnchorsFile(): string {
  return join(sentryCredentialsDir(), 'ca.crt');
}

export function sentryAddress(): string {
  return `${localPlatform.sentry.host}:${localPlatform.sentry.port}`;
}

export function placementAddress(): string {
  return `${localPlatform.placement.host}:${localPlatform.placement.port}`;
}

export function schedulerAddress(): string {
  return `${localPlatform.scheduler.host}:${localPlatform.scheduler.port}`;
}

/** Environment the sidecars need to resolve `secretKeyRef`s: the env secret store serves `SECRET_*` variables without the prefix. */
export function localSecretEnv(): Record<string, string> {
  return {
    SECRET_S3_ACCESS_KEY: localPlatform.minio.accessKey,
    SECRET_S3_SECRET_KEY: localPlatform.minio.secretKey,
    SECRET_RABBITMQ_URL: localPlatform.rabbitmq.url,
    // Signs completion webhooks locally; a deployment sets its own in its secret store.
    SECRET_WEBHOOK_SECRET: 'local-webhook-secret',
  };
}
