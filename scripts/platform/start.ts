import { join } from 'node:path';
import { createDataSource } from '@importer/db';
import { devkitConfig, freePort, httpOk, localPlatform, startProcess, startSystem, waitFor } from '@importer/devkit';
import { DEMO_FOLDER_ID } from '@importer/emulators';
import { step } from './progress.js';

// The launcher reads the environment to decide between the user's Google key and the demo emulator.
const userGoogleKey = process.env.GOOGLE_API_KEY;

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

/** Without a Google API key, the Drive emulator stands in for Google with a demo folder, so an import works at once. */
async function startDemoDrive(): Promise<Record<string, string>> {
  const port = await freePort();
  startProcess({
    name: 'drive-emulator',
    command: process.execPath,
    args: ['--conditions=source', '--import', 'tsx', 'services/emulators/src/main.ts'],
    cwd: devkitConfig.repoRoot,
    env: { DRIVE_EMULATOR_PORT: String(port), DRIVE_EMULATOR_LATENCY_MS: '20' },
    logFile: join(devkitConfig.logDir, 'drive-emulator.log'),
  });
  const rootUrl = `http://127.0.0.1:${port}/`;
  await waitFor(async () => ((await httpOk(`${rootUrl}_emulator/state`)) ? true : undefined), { what: 'the Drive emulator', timeoutMs: 30_000 });
  return { GOOGLE_API_KEY: 'demo-key', GOOGLE_API_ROOT_URL: rootUrl };
}

/** Runs every app of dapr/dapr.yaml beside its own daprd, as `dapr run -f` would, until Ctrl+C. */
async function start(): Promise<void> {
  await step('migrations', migrate);
  const google = userGoogleKey ? {} : await startDemoDrive();
  if (google.GOOGLE_API_ROOT_URL) console.log(`[platform] no GOOGLE_API_KEY set: the Google Drive emulator answers at ${google.GOOGLE_API_ROOT_URL}`);
  await step('api, lister and transfer with their sidecars', async () => {
    const started = await startSystem({ env: { ...google, S3_ENDPOINT: localPlatform.minio.endpoint }, echo: true });
    return [...started.apps.values()].map((app) => `${app.appId} :${app.appPort} (sidecar :${app.httpPort})`).join(', ');
  });
  const api = 'http://127.0.0.1:3000';
  await waitFor(async () => ((await httpOk(`${api}/ready`)) ? true : undefined), { what: `the API at ${api}/ready`, timeoutMs: 60_000 });
  const demo = userGoogleKey
    ? ''
    : `\n  Try the demo folder (served by the Drive emulator):\n    curl -s -X POST ${api}/import/google-drive -H 'content-type: application/json' \\\n      -d '{"folder_url": "https://drive.google.com/drive/folders/${DEMO_FOLDER_ID}"}'\n`;
  console.log(`\n[platform] the API is ready at ${api} (curl ${api}/ready).${demo}\n  Ctrl+C stops the apps; npm run stop stops the platform.\n`);
}

start().catch((error: unknown) => {
  console.error(`[platform] ${(error as Error).message}`);
  process.exit(1);
});
