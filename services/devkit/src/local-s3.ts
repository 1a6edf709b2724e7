import { S3Client } from '@aws-sdk/client-s3';
import { localPlatform } from './local-platform.js';

/** A client of the local MinIO, for the platform scripts, the tests and the benchmark. */
export function localS3Client(): S3Client {
  const { minio } = localPlatform;
  return new S3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey },
  });
}
