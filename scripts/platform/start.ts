import { join } from 'node:path';
import { createDataSource } from '@importer/db';
import { devkitConfig, httpOk, localPlatform, localSecretEnv, placementAddress, schedulerAddress, startDaprApp, waitFor } from '@importer/devkit';
import { step } from './progress.js';
import { readRunFile, type RunFile } from './run-file.js';

const runFilePath = join(devkitConfig.repoRoot, 'dapr', 'dapr.yaml');

async function migrate(): Promise<string> {
  const url = new URL(localPlatform.postgres.url);
  url.pathname = `/${localPlatform.postgres.database}`;
  const dataSource = await createDataSource({ databaseUrl: url.toString(), poolSize: 1 }).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'schema up to date';
  } finally {
    await dataSource.destroy();
  }
}

/** The launcher starts sidecars against the local placement and scheduler; the run file must name the same ones. */
function checkAddresses(file: RunFile): void {
  if (file.common.placementHostAddress !== placementAddress() || file.common.schedulerHostAddress !== schedulerAddress()) {
    throw new Error(`dapr/dapr.yaml must use placement ${placementAddress()} and scheduler ${schedulerAddress()}`);
  }
}

/** Runs every app of dapr/dapr.yaml beside its own daprd, as `dapr run -f` would, until Ctrl+C. */
async function start(): Promise<void> {
  await step('migrations', migrate);
  const file = readRunFile(runFilePath);
  checkAddresses(file);
  for (const app of file.apps) {
    const [command, ...args] = app.command;
    await step(`${app.appID} with its sidecar`, async () => {
      const started = await startDaprApp({
        appId: app.appID,
        app: { command: command ?? 'node', args, cwd: app.appDirPath, env: { ...file.common.env, ...app.env } },
        ...(app.appPort === undefined ? {} : { appPort: app.appPort }),
        ...(app.daprHTTPPort === undefined ? {} : { daprHttpPort: app.daprHTTPPort }),
        ...(app.daprGRPCPort === undefined ? {} : { daprGrpcPort: app.daprGRPCPort }),
        ...(app.appMaxConcurrency === undefined ? {} : { appMaxConcurrency: app.appMaxConcurrency }),
        resourcesPaths: file.common.resourcesPaths,
        configPath: file.common.configFilePath,
        maxBodySize: app.maxBodySize ?? file.common.maxBodySize,
        logLevel: file.common.logLevel,
        sidecarEnv: localSecretEnv(),
        echo: true,
      });
      return `app on :${started.appPort}, sidecar HTTP :${started.httpPort} gRPC :${started.grpcPort} (logs: ${started.daprd.logFile})`;
    });
  }
  const api = file.apps.find((app) => app.appID === 'api');
  if (api?.appPort) {
    const ready = `http://127.0.0.1:${api.appPort}/ready`;
    await waitFor(async () => ((await httpOk(ready)) ? true : undefined), { what: `the API at ${ready}`, timeoutMs: 60_000 });
    console.log(`\n[platform] the API is ready at http://127.0.0.1:${api.appPort} (try: curl http://127.0.0.1:${api.appPort}/ready). Ctrl+C stops the apps; npm run stop stops the platform.\n`);
  }
}

start().catch((error: unknown) => {
  console.error(`[platform] ${(error as Error).message}`);
  process.exit(1);
});
