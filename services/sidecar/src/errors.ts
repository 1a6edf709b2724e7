/** Thrown by a handler when a message can never succeed: it is dropped to its dead-letter topic, not retried. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** The sidecar refused or failed a publish; carries the topic so the log says which. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(readonly topic: string, reason: string) {
    super(`publishing to topic "${topic}" failed: ${reason}`);
  }
}

/** A payload larger than the binding takes in one request; the caller must use the streaming path. */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  constructor(readonly bytes: number, readonly limitBytes: number) {
    super(`payload of ${bytes} bytes exceeds the S3 binding limit of ${limitBytes} bytes; files this large take the streaming upload path`);
  }
}

/** The S3 binding failed an operation; carries the object key. */
export class BindingError extends Error {
  override readonly name = 'BindingError';
  constructor(readonly binding: string, readonly key: string, reason: string) {
    super(`binding "${binding}" failed for object "${key}": ${reason}`);
  }
}

/** The SDK rejects with Error objects over HTTP but with plain `{ error }` objects over gRPC; this reads both. */
export function describeSdkError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const inner = (error as { error?: unknown; message?: unknown }).error ?? (error as { message?: unknown }).message;
    if (inner instanceof Error) return inner.message;
    if (typeof inner === 'string') return inner;
    return JSON.stringify(error);
  }
  return String(error);
}
