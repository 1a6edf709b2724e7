/**
 * The folder id of the one query form the emulator supports: `'<id>' in parents`, alone or with
 * `and trashed = false` on either side (keywords in any case, any spacing). Anything else is null.
 */
export function parseParentsQuery(q: string): string | null {
  const parents = String.raw`'([A-Za-z0-9_-]+)'\s+in\s+parents`;
  const trashed = String.raw`trashed\s*=\s*false`;
  const forms = [
    new RegExp(String.raw`^\s*${parents}\s*$`, 'i'),
    new RegExp(String.raw`^\s*${parents}\s+and\s+${trashed}\s*$`, 'i'),
    new RegExp(String.raw`^\s*${trashed}\s+and\s+${parents}\s*$`, 'i'),
  ];
  for (const form of forms) {
    const id = form.exec(q)?.[1];
    if (id) return id;
  }
  return null;
}

/** `X-Goog-Drive-Resource-Keys: id1/key1,id2/key2` as a map; malformed pairs are ignored. */
export function parseResourceKeys(header: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of (header ?? '').split(',')) {
    const slash = pair.indexOf('/');
    if (slash <= 0) continue;
    const id = pair.slice(0, slash).trim();
    const key = pair.slice(slash + 1).trim();
    if (id && key) keys.set(id, key);
  }
  return keys;
}

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
