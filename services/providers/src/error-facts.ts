// Reading what a client library put on an error, whatever its shape: shared by each source's error classifier.

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** A response header from a fetch `Headers` or a plain object (any letter case). */
export function headerOf(headers: unknown, name: string): string | null | undefined {
  const h = record(headers);
  if (!h) return undefined;
  if (typeof h.get === 'function') return (h.get as (n: string) => string | null).call(headers, name);
  const found = Object.entries(h).find(([key]) => key.toLowerCase() === name);
  return typeof found?.[1] === 'string' ? found[1] : undefined;
}

/** The first string `code` (ECONNRESET, UND_ERR_SOCKET, ...) on the error or its causes, five deep at most. */
export function causeCode(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = record(cause)?.cause, depth++) {
    const code = record(cause)?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
