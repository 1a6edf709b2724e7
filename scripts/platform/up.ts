import { pathToFileURL } from 'node:url';
import { ensurePlacement, ensureScheduler, ensureSentry } from './control-plane.js';
import { checkInfrastructure, ensureAppDatabase } from './infrastructure.js';
import { ensureBucket, ensureMinio } from './object-storage.js';
import { step } from './progress.js';

/** Brings the local platform up; every step does nothing when its part already runs. */
export async function platformUp(): Promise<void> {
  await step('infrastructure', checkInfrastructure);
  await step('postgres', ensureAppDatabase);
  await step('minio', ensureMinio);
  await step('bucket', ensureBucket);
  await step('sentry', ensureSentry);
  await Promise.all([step('placement', ensurePlacement), step('scheduler', ensureScheduler)]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  platformUp().catch((error: unknown) => {
    console.error(`[platform] ${(error as Error).message}`);
    process.exit(1);
  });
}
