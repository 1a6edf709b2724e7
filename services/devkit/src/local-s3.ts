import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
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

/** An object of the local bucket as tests check it: its bytes and what S3 says of them. */
export interface LocalObject {
  bytes: Uint8Array;
  contentType: string | undefined;
  lastModified: number | undefined;
}

export async function readLocalObject(s3: S3Client, key: string): Promise<LocalObject> {
  const object = await s3.send(new GetObjectCommand({ Bucket: localPlatform.minio.bucket, Key: key }));
  if (!object.Body) throw new Error(`object ${key} has no body`);
  return { bytes: await object.Body.transformToByteArray(), contentType: object.ContentType, lastModified: object.LastModified?.getTime() };
}
