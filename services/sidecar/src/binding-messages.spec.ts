import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { InvokeBindingRequestSchema, InvokeBindingResponseSchema } from '@dapr/dapr/proto/dapr/proto/runtime/v1/dapr_pb.js';
import { invokeBindingRequest, invokeBindingResponseData } from './binding-messages.js';

const call = { name: 'image-store', operation: 'create', metadata: { key: 'u/1/url/abc', 'Content-Type': 'image/png' } };

for (const size of [1, 127, 128, 16_384, 300_001, 5 * 1024 * 1024]) {
  test(`a request with ${size} bytes of data, sent in parts, decodes as the message the SDK would build`, () => {
    const data = randomBytes(size);
    const parts = invokeBindingRequest(call, data);
    assert.equal(parts.at(-1), data, 'the payload is sent as given, not copied');
    const decoded = fromBinary(InvokeBindingRequestSchema, Buffer.concat(parts));
    assert.equal(decoded.name, call.name);
    assert.equal(decoded.operation, call.operation);
    assert.deepEqual(decoded.metadata, call.metadata);
    assert.ok(Buffer.from(decoded.data).equals(data));
  });
}

test('a request without data is the fields alone', () => {
  const parts = invokeBindingRequest({ ...call, operation: 'get' }, new Uint8Array());
  assert.equal(parts.length, 1);
  const decoded = fromBinary(InvokeBindingRequestSchema, Buffer.concat(parts));
  assert.equal(decoded.operation, 'get');
  assert.equal(decoded.data.byteLength, 0);
});

test("the response's data is read, and an empty response has none", () => {
  const body = Buffer.from('{"location":"http://127.0.0.1:9000/images/k"}');
  const message = toBinary(InvokeBindingResponseSchema, create(InvokeBindingResponseSchema, { data: body, metadata: { a: 'b' } }));
  assert.ok(Buffer.from(invokeBindingResponseData(message)).equals(body));
  assert.equal(invokeBindingResponseData(new Uint8Array()).byteLength, 0);
});
