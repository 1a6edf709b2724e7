import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { InvokeBindingRequestSchema, InvokeBindingResponseSchema } from '@dapr/dapr/proto/dapr/proto/runtime/v1/dapr_pb.js';

/** The sidecar's gRPC method for output bindings. */
export const INVOKE_BINDING_METHOD = '/dapr.proto.runtime.v1.Dapr/InvokeBinding';

/** protobuf field 2 of InvokeBindingRequest (`bytes data`), length-delimited: its tag byte. */
const DATA_FIELD_TAG = (2 << 3) | 2;

function varint(value: number): number[] {
  const bytes: number[] = [];
  for (; value > 127; value = Math.floor(value / 128)) bytes.push((value % 128) | 128);
  bytes.push(value);
  return bytes;
}

export interface BindingCall {
  name: string;
  operation: string;
  metadata: Record<string, string>;
}

/**
 * An InvokeBindingRequest in parts: the SDK's schema encodes name, operation and metadata, and the data field follows
 * by hand, so the payload is sent as it is instead of copied into the encoder's buffer (protobuf allows fields in any
 * order, and the decoder reads the concatenation as one message).
 */
export function invokeBindingRequest(call: BindingCall, data: Uint8Array): Uint8Array[] {
  const head = toBinary(InvokeBindingRequestSchema, create(InvokeBindingRequestSchema, call));
  if (data.byteLength === 0) return [head];
  return [head, Uint8Array.from([DATA_FIELD_TAG, ...varint(data.byteLength)]), data];
}

/** The data of an InvokeBindingResponse (empty when the binding answered none). */
export function invokeBindingResponseData(message: Uint8Array): Uint8Array {
  return fromBinary(InvokeBindingResponseSchema, message).data;
}
