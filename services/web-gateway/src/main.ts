import { AppId } from '@importer/contracts';
import { createLogger } from '@importer/observability';
import { installCrashGuards } from '@importer/sidecar';
import { apiForwarder } from './api-forwarder.js';
import { API_MOUNT_PATH, buildWebApp } from './app.js';
import { loadWebGatewayConfig } from './config.js';

const config = loadWebGatewayConfig();
const log = createLogger({ service: AppId.web, level: config.sidecar.logLevel });
installCrashGuards(log);

const app = buildWebApp({
  staticDir: config.staticDir,
  trustProxy: config.trustProxy,
  api: apiForwarder({ sidecarUrl: config.sidecar.sidecarUrl, daprApiToken: config.sidecar.daprApiToken, targetAppId: AppId.api, mountPath: API_MOUNT_PATH, log }),
});
const server = app.listen(config.port, config.host, () => log.info('web listening', { host: config.host, port: config.port, staticDir: config.staticDir }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
