/** Characters a canonical API path may hold: unreserved, sub-delims, ':' and '@' (RFC 3986 pchar), and '/'; no '%'. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/** A request target under the API mount, split into its canonical path and its query (kept as it came, `?` included). */
export interface CanonicalTarget {
  path: string;
  query: string;
}

/**
 * The canonical form of a request target under the API mount, or undefined when it has none: a path with `.` or `..`
 * segments, empty segments, a backslash or any percent-encoded byte (`%2e`, `%2f`, `%5c`, …) is refused outright rather
 * than decoded, so what is forwarded is exactly what was matched. One trailing slash is dropped.
 */
export function canonicalTarget(target: string): CanonicalTarget | undefined {
  const queryAt = target.indexOf('?');
  const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? '' : target.slice(queryAt);
  if (!rawPath.startsWith('/') || !PATH_CHARACTERS.test(rawPath)) return undefined;
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const segments = path.split('/').slice(1);
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
  return { path, query };
}
