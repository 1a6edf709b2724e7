import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ApiError } from '../http/api-error.js';

/** An object's bytes as they stream from storage, whole or the one range asked for. */
export interface OpenedObject {
  body: Readable;
  /** Bytes in `body`. */
  length: number;
  /** `bytes start-end/total` when a range was served. */
  contentRange: string | undefined;
}

export interface ObjectReader {
  /** `range` is a validated `bytes=…` header value, passed on to storage. */
  open(key: string, range: string | undefined, signal: AbortSignal): Promise<OpenedObject>;
}

/**
 * Reads objects straight from S3 as streams (the binding's `get` would load each one whole into the sidecar and the
 * app), with the same credentials the binding uses.
 */
export class S3ObjectReader implements ObjectReader {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async open(key: string, range: string | undefined, signal: AbortSignal): Promise<OpenedObject> {
    try {
      const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: range } : {}) }), { abortSignal: signal });
      if (!answer.Body) throw new Error('storage answered without a body');
      return { body: answer.Body as Readable, length: answer.ContentLength ?? 0, contentRange: answer.ContentRange };
    } catch (error) {
      if (error instanceof NoSuchKey) throw new ApiError(404, 'content_not_found', "The image's bytes are not in storage.");
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
        throw new ApiError(416, 'range_not_satisfiable', 'The requested range is outside the image.');
      }
      throw error;
    }
  }
}
