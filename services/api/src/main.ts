import { createDataSource } from '@importer/db';
import { createLogger } from '@importer/observability';
import { createDaprServer, installCrashGuards } from '@importer/sidecar';
import { buildApp } from './app.js';
import { loadApiConfig } from './config.js';
import { ReadinessService } from './readiness.service.js';

const config = loadApiConfig();
const log = createLogger({ service: 'api', level: config.logLevel });
installCrashGuards(log);

const dataSource = await createDataSource({ databaseUrl: config.databaseUrl }).initialize();
const sidecarHealth = `http://${config.daprHost}:${config.daprHttpPort}/v1.0/healthz/outbound`;
const readiness = new ReadinessService([
  { name: 'database', probe: async () => void (await dataSource.query('SELECT 1')) },
  {
    name: 'sidecar',
    probe: async () => {
      const response = await fetch(sidecarHealth);
      if (!response.ok) throw new Error(`sidecar answered ${response.status}`);
    },
  },
]);

const server = createDaprServer({ appPort: config.port, daprHost: config.daprHost, daprHttpPort: config.daprHttpPort, app: buildApp({ readiness }) });
await server.start();
log.info('api listening', { port: config.port });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal });
    void server.stop().finally(() => dataSource.destroy().finally(() => process.exit(0)));
  });
}
