import type { Request } from 'express';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/** The first entry of a forwarded header: proxies (daprd among them) append their own after the client's. */
function firstForwarded(req: Request, name: string): string | undefined {
  return req.get(name)?.split(',')[0]?.trim() || undefined;
}

/**
 * Where the client reached this API, for URLs in responses: through the web gateway (`X-Forwarded-Host`,
 * `-Proto`, `-Prefix`) or directly. Values that are not a plain host, scheme or path fall back to the direct ones.
 */
export function publicBaseUrl(req: Request): string {
  const forwardedHost = firstForwarded(req, 'x-forwarded-host');
  const forwardedProto = firstForwarded(req, 'x-forwarded-proto');
  const forwardedPrefix = firstForwarded(req, 'x-forwarded-prefix');
  const direct = req.get('host');
  // A Host that is no plain host name is never written into a URL (it would make `new URL` throw downstream).
  const host = forwardedHost && HOST.test(forwardedHost) ? forwardedHost : direct && HOST.test(direct) ? direct : 'localhost';
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : req.protocol;
  const prefix = forwardedPrefix && PREFIX.test(forwardedPrefix) ? forwardedPrefix : '';
  return `${proto}://${host}${prefix}`;
}
