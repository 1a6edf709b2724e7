import { join } from 'node:path';
import { createDataSource } from '@importer/db';
import { devkitConfig, freePort, httpOk, localPlatform, startProcess, startSystem, waitFor } from '@importer/devkit';
import { buildDropboxDemoFolder, DEMO_FOLDER_ID, DropboxModel } from '@importer/emulators';
import { step } from './progress.js';

// The launcher reads the environment to decide between the user's Google key and the demo emulator.
const userGoogleKey = process.env.GOOGLE_API_KEY;
// Likewise for Dropbox: without credentials, the emulator's demo shared folder stands in.
const userDropbox = Boolean(process.env.DROPBOX_ACCESS_TOKEN || process.env.DROPBOX_APP_KEY);

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

/** Without a Google API key (or Dropbox credentials), the emulators stand in with demo folders, so an import works at once. */
async function startDemoEmulators(): Promise<Record<string, string>> {
  const port = await freePort();
  const dropboxPort = await freePort();
  startProcess({
    name: 'drive-emulator',
    command: process.execPath,
    args: ['--conditions=source', '--import', 'tsx', 'services/emulators/src/main.ts'],
    cwd: devkitConfig.repoRoot,
    env: { DRIVE_EMULATOR_PORT: String(port), DRIVE_EMULATOR_LATENCY_MS: '20', DROPBOX_EMULATOR_PORT: String(dropboxPort) },
    logFile: join(devkitConfig.logDir, 'drive-emulator.log'),
  });
  const rootUrl = `http://127.0.0.1:${port}/`;
  const dropboxUrl = `http://127.0.0.1:${dropboxPort}`;
  // Both emulators offer the same control API; its state route answers once each one listens.
  for (const [what, url] of [['the Drive emulator', rootUrl], ['the Dropbox emulator', `${dropboxUrl}/`]] as const) {
    await waitFor(async () => ((await httpOk(`${url}_emulator/state`)) ? true : undefined), { what, timeoutMs: 30_000 });
  }
  return {
    ...(userGoogleKey ? {} : { GOOGLE_API_KEY: 'demo-key', GOOGLE_API_ROOT_URL: rootUrl }),
    ...(userDropbox
      ? {}
      : { DROPBOX_APP_KEY: 'demo-app-key', DROPBOX_APP_SECRET: 'demo-app-secret', DROPBOX_API_URL: dropboxUrl, DROPBOX_CONTENT_URL: dropboxUrl }),
  };
}

/** Runs every app of dapr/dapr.yaml beside its own daprd, as `dapr run -f` would, until Ctrl+C. */
async function start(): Promise<void> {
  await step('migrations', migrate);
  const google = userGoogleKey && userDropbox ? {} : await startDemoEmulators();
  if (google.GOOGLE_API_ROOT_URL) console.log(`[platform] no GOOGLE_API_KEY set: the Google Drive emulator answers at ${google.GOOGLE_API_ROOT_URL}`);
  if (google.DROPBOX_API_URL) console.log(`[platform] no Dropbox credentials set: the Dropbox emulator answers at ${google.DROPBOX_API_URL}`);
  await step('api, lister, transfer and web with their sidecars', async () => {
    const started = await startSystem({ env: { ...google, S3_ENDPOINT: localPlatform.minio.endpoint }, echo: true });
    // Every replica, so a person scaling with TRANSFER_REPLICAS=3 sees which ports each copy took.
    return [...started.apps.keys()]
      .flatMap((appId) => started.replicas(appId))
      .map((app) => `${app.name} :${app.appPort} (sidecar :${app.httpPort})`)
      .join(', ');
  });
  // Readiness is asked of api's own port (the cluster's view); people use the API through the gateway, the public door.
  await waitFor(async () => ((await httpOk('http://127.0.0.1:3000/ready')) ? true : undefined), { what: 'the API at http://127.0.0.1:3000/ready', timeoutMs: 60_000 });
  const web = 'http://127.0.0.1:8080';
  const api = `${web}/api`;
  const dropboxDemo = google.DROPBOX_API_URL
    ? `\n  Or the Dropbox demo shared folder:\n    curl -s -X POST ${api}/import/dropbox -H "Authorization: Bearer $API_KEY" -H 'content-type: application/json' \\\n      -d '{"folder_url": "${buildDropboxDemoFolder(new DropboxModel('emulator-cli')).url}"}'\n`
    : '';
  const demo = userGoogleKey
    ? dropboxDemo
    : `\n  Try the demo folder (served by the Drive emulator) with an API key (the web app's Account page, or npm run admin -- create-api-key --email you@example.com):\n    curl -s -X POST ${api}/import/google-drive -H "Authorization: Bearer $API_KEY" -H 'content-type: application/json' \\\n      -d '{"folder_url": "https://drive.google.com/drive/folders/${DEMO_FOLDER_ID}"}'\n${dropboxDemo}`;
  await waitFor(async () => ((await httpOk(`${web}/health`)) ? true : undefined), { what: `the web app at ${web}`, timeoutMs: 60_000 });
  const status = (await (await fetch(`${api}/auth/status`)).json()) as { setup_required?: boolean };
  if (status.setup_required) console.log(`\n[platform] first run: create the administrator account at ${web}/setup (nothing else answers until it exists).`);
  console.log(`\n[platform] open the web app at ${web} (sign in, then paste a folder link there), or use the API.`);
  console.log(`[platform] the API is ready at ${api} (curl ${api}/health).${demo}\n  Ctrl+C stops the apps; npm run stop stops the platform.\n`);
}

start().catch((error: unknown) => {
  console.error(`[platform] ${(error as Error).message}`);
  process.exit(1);
});
