import { stopDaemon } from '@importer/devkit';

/** Stops what `npm start` left running: the platform daemons it started (never PostgreSQL, Redis or RabbitMQ). */
for (const name of ['scheduler', 'placement', 'sentry', 'minio']) {
  const stopped = await stopDaemon(name);
  console.log(`[platform] ${name}: ${stopped ? 'stopped' : 'not running'}`);
}
