import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * Where Sentry keeps its root and issuer certificates (it creates them on first start). Machine-wide, like the
 * daemons themselves (fixed ports): a second clone that finds Sentry running must find the root it trusts.
 */
export function sentryCredentialsDir(): string {
  return join(dirname(devkitConfig.toolsBin), 'sentry');
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

/** A random secret made once per checkout (`.data/secrets/webhook-secret`), so no default one is ever shipped. */
function localWebhookSecret(): string {
  const file = join(devkitConfig.dataDir, 'secrets', 'webhook-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** Environment the sidecars need to resolve `secretKeyRef`s: the env secret store serves `SECRET_*` variables without the prefix. */
export function localSecretEnv(): Record<string, string> {
  return {
    SECRET_S3_ACCESS_KEY: localPlatform.minio.accessKey,
    SECRET_S3_SECRET_KEY: localPlatform.minio.secretKey,
    SECRET_RABBITMQ_URL: localPlatform.rabbitmq.url,
    // Derives each job's webhook secret: made on first use for this checkout, never shipped; a deployment keeps its own in its secret store.
    SECRET_WEBHOOK_SECRET: localWebhookSecret(),
  };
}
