import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { daemonLogFile, devkitConfig, httpOk, localPlatform, localS3Client, startDaemon, waitFor } from '@importer/devkit';

const { minio } = localPlatform;
const healthUrl = `${minio.endpoint}/minio/health/live`;

/** Starts MinIO (data under `.data/minio`) unless one already answers on its port. */
export async function ensureMinio(): Promise<string> {
  if (await httpOk(healthUrl)) return `already running at ${minio.endpoint}`;
  const dataDir = join(devkitConfig.dataDir, 'minio');
  mkdirSync(dataDir, { recursive: true });
  startDaemon({
    name: 'minio',
    command: join(devkitConfig.toolsBin, 'minio'),
    args: ['server', dataDir, '--quiet', '--address', `127.0.0.1:${minio.port}`, '--console-address', `127.0.0.1:${minio.consolePort}`],
    env: { MINIO_ROOT_USER: minio.accessKey, MINIO_ROOT_PASSWORD: minio.secretKey, MINIO_BROWSER_REDIRECT: 'off' },
  });
  await waitFor(async () => ((await httpOk(healthUrl)) ? true : undefined), {
    what: `MinIO to answer (log: ${daemonLogFile('minio')})`,
    timeoutMs: 30_000,
  });
  return `started at ${minio.endpoint}`;
}

/** The S3 binding never creates its bucket, so the platform does. */
export async function ensureBucket(): Promise<string> {
  const s3 = localS3Client();
  try {
    await s3.send(new HeadBucketCommand({ Bucket: minio.bucket }));
    return `bucket "${minio.bucket}" exists`;
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: minio.bucket }));
    return `bucket "${minio.bucket}" created`;
  } finally {
    s3.destroy();
  }
}
