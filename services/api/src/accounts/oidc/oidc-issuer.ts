import { isIPv4 } from 'node:net';

/** True when the host names this machine: localhost, 127.0.0.0/8 or ::1 (as a URL's `hostname` spells them). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
}

/** True when requests to this issuer may go over plain http. */
export function allowsPlainHttp(issuerUrl: URL): boolean {
  // Plain http only reaches a provider on this machine (the tests' and the local demo's): elsewhere tokens would cross the network in the clear.
  return issuerUrl.protocol === 'http:' && isLoopbackHost(issuerUrl.hostname);
}

/** Why this text cannot be an issuer URL, or undefined when it can: https anywhere, http only on a loopback host. */
export function issuerUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.search || url.hash) return 'must not carry a query or fragment';
  if (url.protocol === 'https:' || allowsPlainHttp(url)) return undefined;
  if (url.protocol === 'http:') return 'must use https unless the host is a loopback address (localhost, 127.0.0.0/8, ::1)';
  return 'must be an https URL';
}
