import type { DaprClient } from '@dapr/dapr';
import { BINDING_MAX_PAYLOAD_BYTES, ComponentName } from '@importer/contracts';
import { BindingError, describeSdkError, PayloadTooLargeError } from './errors.js';
import { isJsonScalar } from './json-scalar.js';

export interface StoredObject {
  key: string;
  /** The object's location as the store reports it. */
  location: string | undefined;
}

export interface ObjectStoreBindingOptions {
  bindingName?: string;
  maxPayloadBytes?: number;
  /** How long one upload may take before it counts as failed. */
  timeoutMs?: number;
}

/**
 * Uploads objects through the Dapr S3 output binding over gRPC (raw bytes, one request per object).
 * Payloads the binding cannot carry unchanged are refused before anything is sent: a gRPC message over the
 * sidecar's max-body-size is not refused by the sidecar, it hangs, so the limit here sits below it, and a
 * deadline bounds every upload.
 */
export class ObjectStoreBinding {
  private readonly bindingName: string;
  readonly maxPayloadBytes: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DaprClient,
    { bindingName = ComponentName.imageStore, maxPayloadBytes = BINDING_MAX_PAYLOAD_BYTES, timeoutMs = 120_000 }: ObjectStoreBindingOptions = {},
  ) {
    this.bindingName = bindingName;
    this.maxPayloadBytes = maxPayloadBytes;
    this.timeoutMs = timeoutMs;
  }

  /** True when `put` can carry these bytes; otherwise use the streaming path. */
  accepts(bytes: Uint8Array): boolean {
    return bytes.byteLength <= this.maxPayloadBytes && !isJsonScalar(bytes);
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject> {
    if (bytes.byteLength > this.maxPayloadBytes) throw new PayloadTooLargeError(bytes.byteLength, this.maxPayloadBytes);
    if (isJsonScalar(bytes)) {
      throw new BindingError(this.bindingName, key, 'the payload is a JSON scalar, which the S3 binding would rewrite; use the streaming path');
    }
    let response: unknown;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BindingError(this.bindingName, key, `no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const upload = this.client.binding.send(this.bindingName, 'create', Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        key,
        'Content-Type': contentType,
      });
      response = await Promise.race([upload, deadline]);
    } catch (error) {
      if (error instanceof BindingError) throw error;
      throw new BindingError(this.bindingName, key, describeSdkError(error));
    } finally {
      clearTimeout(timer);
    }
    return { key, location: readLocation(response) };
  }
}

/** Reads whole objects back through the same binding (`get` loads the object in the sidecar's memory). */
export async function getObject(client: DaprClient, key: string, bindingName: string = ComponentName.imageStore): Promise<Buffer> {
  try {
    const response = (await client.binding.send(bindingName, 'get', '', { key })) as { data?: Uint8Array } | Uint8Array | undefined;
    const data = response instanceof Uint8Array ? response : response?.data;
    if (!(data instanceof Uint8Array)) throw new Error('the binding answered no data');
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new BindingError(bindingName, key, describeSdkError(error));
  }
}

function readLocation(response: unknown): string | undefined {
  const data = (response as { data?: unknown } | undefined)?.data;
  if (!(data instanceof Uint8Array) || data.byteLength === 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { location?: unknown };
    return typeof parsed.location === 'string' ? parsed.location : undefined;
  } catch {
    return undefined;
  }
}
