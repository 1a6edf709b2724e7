import { BINDING_MAX_PAYLOAD_BYTES, ComponentName } from '@importer/contracts';
import { type BindingCall, INVOKE_BINDING_METHOD, invokeBindingRequest, invokeBindingResponseData } from './binding-messages.js';
import { BindingError, PayloadTooLargeError } from './errors.js';
import { isJsonScalar } from './json-scalar.js';
import type { SidecarGrpcClient } from './sidecar-grpc.client.js';

/** The sidecar connection the binding calls through. */
export type BindingChannel = Pick<SidecarGrpcClient, 'unary'>;

export interface StoredObject {
  key: string;
  /** The object's location as the store reports it. */
  location: string | undefined;
}

export interface ObjectStoreBindingOptions {
  bindingName?: string;
  maxPayloadBytes?: number;
  /** How long one upload or read may take before it counts as failed. */
  timeoutMs?: number;
}

/** One binding operation through the sidecar; every failure is a BindingError naming the object. */
async function invoke(channel: BindingChannel, call: BindingCall, data: Uint8Array, timeoutMs: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
  try {
    const answer = await channel.unary(INVOKE_BINDING_METHOD, invokeBindingRequest(call, data), { timeoutMs, ...(signal ? { signal } : {}) });
    return invokeBindingResponseData(answer);
  } catch (error) {
    throw new BindingError(call.name, call.metadata.key ?? '', error instanceof Error ? error.message : String(error));
  }
}

/**
 * Uploads objects through the Dapr S3 output binding over gRPC (raw bytes, one request per object).
 * Payloads the binding cannot carry unchanged are refused before anything is sent: a gRPC message over the
 * sidecar's max-body-size is not refused by the sidecar, it hangs, so the limit here sits below it, and a
 * deadline bounds every upload (the call is then cancelled in the sidecar too).
 */
export class ObjectStoreBinding {
  private readonly bindingName: string;
  readonly maxPayloadBytes: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly channel: BindingChannel,
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

  /** `signal` cancels the upload, in the sidecar too. */
  async put(key: string, bytes: Uint8Array, contentType: string, signal?: AbortSignal): Promise<StoredObject> {
    if (bytes.byteLength > this.maxPayloadBytes) throw new PayloadTooLargeError(bytes.byteLength, this.maxPayloadBytes);
    if (isJsonScalar(bytes)) {
      throw new BindingError(this.bindingName, key, 'the payload is a JSON scalar, which the S3 binding would rewrite; use the streaming path');
    }
    const answer = await invoke(this.channel, { name: this.bindingName, operation: 'create', metadata: { key, 'Content-Type': contentType } }, bytes, this.timeoutMs, signal);
    return { key, location: readLocation(answer) };
  }

  /** The whole object, read through the binding (`get` loads it in the sidecar's memory). */
  async get(key: string): Promise<Buffer> {
    const data = await invoke(this.channel, { name: this.bindingName, operation: 'get', metadata: { key } }, new Uint8Array(), this.timeoutMs, undefined);
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
}

function readLocation(data: Uint8Array): string | undefined {
  if (data.byteLength === 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { location?: unknown };
    return typeof parsed.location === 'string' ? parsed.location : undefined;
  } catch {
    return undefined;
  }
}
