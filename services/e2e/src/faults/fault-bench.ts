import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { localPlatform, localS3Client, type RunningSystem, startSystem, type SystemOptions } from '@importer/devkit';
import { buildBenchmarkFolder, type DriveFolder, DriveModel, type RunningDriveEmulator, startDriveEmulator } from '@importer/emulators';
import { ApiClient, E2E_ADMIN_ENV } from '../api-client.js';

/** The import every fault strikes: 1,500 files of 16 KB from a Drive answering each request after 20 ms. */
export const FAULT_IMPORT = { files: 1_500, fileSize: 16 * 1024, latencyMs: 20 } as const;

/**
 * Drive's page size for these imports: small enough that listing is still under way when the fault strikes (a quarter
 * imported), so a lister killed then has pages in hand.
 */
const PAGE_SIZE = 25;

/** One system (and its database and Drive) that several faults take turns on, each on a folder of its own. */
export interface FaultBench {
  system: RunningSystem;
  api: ApiClient;
  db: TestDatabase;
  drive: RunningDriveEmulator;
  model: DriveModel;
  s3: S3Client;
  /** A fresh folder of `FAULT_IMPORT.files` generated images, never imported before. */
  folder(name: string): DriveFolder;
  close(): Promise<void>;
}

export type FaultBenchOptions = Pick<SystemOptions, 'pubsubFolder' | 'replicas'>;

/** Starts the system as the end-to-end tests do, with the watchdog and every other setting at its default. */
export async function startFaultBench(options: FaultBenchOptions = {}): Promise<FaultBench> {
  // A fresh seed gives fresh file ids, so every run writes objects of its own.
  const model = new DriveModel(`faults-${randomUUID()}`);
  const s3 = localS3Client();
  const db = await createTestDatabase('importer_faults');
  const drive = await startDriveEmulator({ model, apiKeys: ['faults-key'], latencyMs: FAULT_IMPORT.latencyMs });
  let system: RunningSystem | undefined;
  const close = async () => {
    await system?.stop();
    await drive.close();
    await db.drop();
    s3.destroy();
  };
  try {
    system = await startSystem({
      ...options,
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        GOOGLE_API_KEY: 'faults-key',
        GOOGLE_API_ROOT_URL: drive.rootUrl,
        GOOGLE_PAGE_SIZE: String(PAGE_SIZE),
        S3_ENDPOINT: localPlatform.minio.endpoint,
      },
    });
    const api = await ApiClient.signedIn('http://127.0.0.1:3000');
    const folder = (name: string) => buildBenchmarkFolder({ count: FAULT_IMPORT.files, fileSize: FAULT_IMPORT.fileSize, name }, model).folder;
    return { system, api, db, drive, model, s3, folder, close };
  } catch (error) {
    await close();
    throw error;
  }
}
