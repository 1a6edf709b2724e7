import type { Request } from 'express';
import { publicBaseUrl } from '../http/public-base-url.js';

/** The origin the request reached, or undefined when its Host makes no URL (nothing a browser would send). */
function ownOrigin(req: Request): string | undefined {
  try {
    return new URL(publicBaseUrl(req)).origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether a browser sent this request from the site itself, for cookie-authenticated writes (CSRF): the Origin must be
 * the site's own; without an Origin, a Sec-Fetch-Site other than same-origin or none is refused. A request with
 * neither comes from no browser (curl, scripts), which cannot carry another site's cookie either.
 */
export function isSameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (origin !== undefined) return origin !== 'null' && origin === ownOrigin(req);
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}
