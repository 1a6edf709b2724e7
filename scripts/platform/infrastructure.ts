import { ensureDatabase } from '@importer/db';
import { localPlatform, probeAmqp, probeRedis } from '@importer/devkit';
import pg from 'pg';

interface Requirement {
  name: string;
  check: () => Promise<void>;
  howToStart: string;
}

const requirements: Requirement[] = [
  {
    name: `PostgreSQL at ${localPlatform.postgres.url}`,
    check: async () => {
      const client = new pg.Client({ connectionString: localPlatform.postgres.url, connectionTimeoutMillis: 3_000 });
      await client.connect();
      await client.end();
    },
    howToStart: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)",
  },
  {
    name: `Redis at ${localPlatform.redis.host}:${localPlatform.redis.port}`,
    check: () => probeRedis(localPlatform.redis.host, localPlatform.redis.port),
    howToStart: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379   (or: docker compose up -d redis)',
  },
  {
    name: `RabbitMQ at ${localPlatform.rabbitmq.host}:${localPlatform.rabbitmq.port}`,
    check: () => probeAmqp(localPlatform.rabbitmq.host, localPlatform.rabbitmq.port),
    howToStart: 'rabbitmq-server -detached   (or: docker compose --profile rabbitmq up -d rabbitmq)',
  },
];

/** Checks every service the platform needs but does not start itself; one error lists all that are missing. */
export async function checkInfrastructure(): Promise<string> {
  const results = await Promise.all(
    requirements.map(async (r) => {
      try {
        await r.check();
        return undefined;
      } catch (error) {
        return `  - ${r.name}: ${(error as Error).message}\n    start it with: ${r.howToStart}`;
      }
    }),
  );
  const missing = results.filter((line) => line !== undefined);
  if (missing.length) throw new Error(`These services are not reachable:\n${missing.join('\n')}`);
  return 'PostgreSQL, Redis and RabbitMQ reachable';
}

export async function ensureAppDatabase(): Promise<string> {
  const url = new URL(localPlatform.postgres.url);
  url.pathname = `/${localPlatform.postgres.database}`;
  return `database "${localPlatform.postgres.database}" ${await ensureDatabase(url.toString())}`;
}
