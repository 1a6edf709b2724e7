import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those fetch sets itself: never copied across the proxy, either way. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

/** Headers the gateway sets itself from what it saw, so a client's own values are dropped. */
const GATEWAY_SET = new Set(['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-prefix', 'x-real-ip']);

/** The headers a `Connection` header names are hop-by-hop too. */
function connectionNamed(value: string | string[] | undefined): Set<string> {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(joined.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

/**
 * Whether a client's request header may reach the sidecar. `dapr-*` headers would steer daprd (`dapr-app-id` picks
 * another app, `dapr-api-token` is the gateway's own credential), and so would HTTP Basic credentials, which daprd
 * reads as `dapr-app-id:<app>`; the API takes no Basic credentials, so none pass.
 */
function forwardable(name: string, value: string, named: Set<string>): boolean {
  if (HOP_BY_HOP.has(name) || named.has(name) || GATEWAY_SET.has(name)) return false;
  if (name.startsWith('dapr-')) return false;
  if (name === 'authorization' && !/^bearer\s/i.test(value)) return false;
  return true;
}

/** The client's headers that the gateway passes on to the API through its sidecar. */
export function forwardedRequestHeaders(incoming: IncomingHttpHeaders): Headers {
  const named = connectionNamed(incoming.connection);
  const headers = new Headers();
  for (const [name, raw] of Object.entries(incoming)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (forwardable(name, value, named)) headers.set(name, value);
  }
  return headers;
}

/** Whether an answer's header goes back to the client: not hop-by-hop, not the sidecar's own, not an encoding fetch undid. */
export function returnedResponseHeader(name: string): boolean {
  return !HOP_BY_HOP.has(name) && name !== 'content-encoding' && !name.startsWith('dapr-');
}
