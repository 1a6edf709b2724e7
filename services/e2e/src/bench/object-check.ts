import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { localPlatform, localS3Client, readLocalObject } from '@importer/devkit';
import { originBody } from '@importer/emulators';

/** An object a run should have written, and the origin file it should hold. */
export interface ExpectedObject {
  key: string;
  fileName: string;
}

/** How many objects the bucket holds under a prefix (rclone's destination of one run). */
export async function countObjects(prefix: string): Promise<number> {
  const s3 = localS3Client();
  let count = 0;
  let token: string | undefined;
  try {
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: localPlatform.minio.bucket, Prefix: prefix, ContinuationToken: token }));
      count += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    s3.destroy();
  }
  return count;
}

/**
 * Reads a random sample of the objects back and compares each with the origin's bytes; throws on the first that
 * differs, so a fast run that wrote the wrong thing is not reported.
 */
export async function checkSample(objects: readonly ExpectedObject[], fileSize: number, sampleSize = 25): Promise<number> {
  const s3 = localS3Client();
  const sample = [...objects].sort(() => Math.random() - 0.5).slice(0, sampleSize);
  try {
    for (const { key, fileName } of sample) {
      const { bytes } = await readLocalObject(s3, key);
      if (!originBody(fileName, fileSize).equals(bytes)) throw new Error(`${key} does not hold the bytes of ${fileName}`);
    }
  } finally {
    s3.destroy();
  }
  return sample.length;
}
