/** A byte range to send, inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A single `Range: bytes=...` header against a body of `size` bytes: `undefined` when there is no usable
 * header (the whole body is sent, as RFC 9110 says for one that cannot be parsed), `'unsatisfiable'` for a
 * range that starts past the end, ends before it starts, or asks anything of an empty file (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (size === 0) return 'unsatisfiable';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || (match[2] !== '' && Number(match[2]) < start)) return 'unsatisfiable';
  return { start, end };
}
