import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StreamingStore } from './file-transfer.service.js';

/** Multipart upload straight to S3, a few parts in memory at a time, for files the S3 binding cannot carry. */
export class S3StreamingStore implements StreamingStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly partSizeBytes = 8 * 1024 * 1024,
  ) {}

  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    await new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: this.partSizeBytes,
      queueSize: 2,
    }).done();
  }
}
