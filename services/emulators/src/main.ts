import { loadEmulatorConfig } from './config.js';
import { BENCHMARK_FOLDER_ID, buildBenchmarkFolder, buildDemoFolder, buildEdgeCaseFolder } from './google-drive/demo-folders.js';
import { DriveModel } from './google-drive/drive-model.js';
import { startDriveEmulator } from './google-drive/server.js';
import { buildDropboxDemoFolder } from './dropbox/demo-folders.js';
import { DropboxModel } from './dropbox/dropbox-model.js';
import { startDropboxEmulator } from './dropbox/server.js';

const config = loadEmulatorConfig();
const model = new DriveModel('emulator-cli');
const demo = buildDemoFolder(model).folder;
const edgeCases = buildEdgeCaseFolder(model).folder;
const benchmark = config.driveBenchmarkFiles > 0 ? buildBenchmarkFolder({ count: config.driveBenchmarkFiles, id: BENCHMARK_FOLDER_ID }, model).folder : undefined;
const drive = await startDriveEmulator({
  model,
  port: config.drivePort,
  host: config.driveHost,
  apiKeys: config.driveApiKeys,
  latencyMs: config.driveLatencyMs,
  // Per-file counters would grow with every file of a big benchmark.
  perFileCounters: config.driveBenchmarkFiles <= 10_000,
});

console.log(`Google Drive emulator listening on ${drive.rootUrl}`);
console.log(`  demo folder link:  ${demo.link}`);
console.log(`  for the services:  GOOGLE_API_ROOT_URL=${drive.rootUrl}  (GOOGLE_API_KEY: ${config.driveApiKeys === 'any' ? 'any non-empty value' : 'one of DRIVE_EMULATOR_API_KEYS'})`);
console.log(`  edge cases:        ${edgeCases.link}`);
if (benchmark) console.log(`  benchmark (${config.driveBenchmarkFiles} files): ${benchmark.link}`);
console.log(`  faults, counters:  ${drive.rootUrl}_emulator/state`);

const dropboxModel = new DropboxModel('emulator-cli');
const dropboxLink = buildDropboxDemoFolder(dropboxModel);
const dropbox = await startDropboxEmulator({
  model: dropboxModel,
  port: config.dropboxPort,
  host: config.driveHost,
  apps: [config.dropboxApp],
  latencyMs: config.driveLatencyMs,
});
console.log(`Dropbox emulator listening on ${dropbox.apiUrl}`);
console.log(`  demo shared folder: ${dropboxLink.url}`);
console.log(`  for the services:   DROPBOX_API_URL=${dropbox.apiUrl} DROPBOX_CONTENT_URL=${dropbox.contentUrl} DROPBOX_APP_KEY=${config.dropboxApp.key} DROPBOX_APP_SECRET=<DROPBOX_EMULATOR_APP_SECRET>`);
console.log(`  faults, counters:   ${dropbox.apiUrl}/_emulator/state`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void Promise.all([drive.close(), dropbox.close()]).finally(() => process.exit(0)));
}
