import { isIP } from 'node:net';
import type { Request } from 'express';

/** The header the web gateway writes the client's address in (and drops from clients). */
export const CLIENT_ADDRESS_HEADER = 'x-real-ip';

/**
 * The address a request came from, for per-client rate limits: the gateway's word when the request came through this
 * app's own sidecar (only the gateway may invoke the API there), otherwise the socket's peer.
 */
export function clientAddressOf(viaOwnSidecar: (req: Request) => boolean): (req: Request) => string {
  return (req) => {
    const told = req.get(CLIENT_ADDRESS_HEADER)?.trim();
    if (told && isIP(told) && viaOwnSidecar(req)) return told;
    return req.socket.remoteAddress ?? 'unknown';
  };
}
