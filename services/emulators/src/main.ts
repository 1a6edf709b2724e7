import { loadEmulatorConfig } from './config.js';
import { buildDemoFolder } from './google-drive/demo-folders.js';
import { startDriveEmulator } from './google-drive/server.js';

const config = loadEmulatorConfig();
const { model, folder } = buildDemoFolder();
const drive = await startDriveEmulator({
  model,
  port: config.drivePort,
  host: config.driveHost,
  apiKeys: config.driveApiKeys,
  latencyMs: config.driveLatencyMs,
});

console.log(`Google Drive emulator listening on ${drive.rootUrl}`);
console.log(`  demo folder link:  ${folder.link}`);
console.log(`  for the services:  GOOGLE_API_ROOT_URL=${drive.rootUrl}  (GOOGLE_API_KEY: ${config.driveApiKeys === 'any' ? 'any non-empty value' : 'one of DRIVE_EMULATOR_API_KEYS'})`);
console.log(`  faults, counters:  ${drive.rootUrl}_emulator/state`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void drive.close().finally(() => process.exit(0)));
}
