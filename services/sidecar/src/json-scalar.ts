const SCALAR_START = new Set([...'"-0123456789tfn'].map((c) => c.charCodeAt(0)));
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * True when the whole payload parses as a JSON string, number, boolean or null: the S3 binding's `create`
 * runs such payloads through a JSON unquote and stores different bytes. No image format starts like one,
 * so the parse is only attempted on the rare payload whose first byte could begin a scalar.
 */
export function isJsonScalar(bytes: Uint8Array): boolean {
  let first = 0;
  while (first < bytes.length && WHITESPACE.has(bytes[first] ?? 0)) first++;
  const start = bytes[first];
  if (start === undefined || !SCALAR_START.has(start)) return false;
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return value === null || typeof value !== 'object';
  } catch {
    return false;
  }
}
