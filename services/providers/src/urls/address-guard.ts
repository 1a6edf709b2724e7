import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an address is refused: it reaches inside the deployment, not the public internet. */
export type BlockedAddressKind = 'loopback' | 'private' | 'link-local' | 'reserved';

/** ipaddr.js range names that have a kind of their own; every other non-unicast range is 'reserved'. */
const ipv4Kinds: Readonly<Record<string, BlockedAddressKind>> = {
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'private',
  linkLocal: 'link-local',
};

const ipv6Kinds: Readonly<Record<string, BlockedAddressKind>> = {
  loopback: 'loopback',
  uniqueLocal: 'private',
  // fec0::/10 was the site's private space before fc00::/7 replaced it, and old routers still treat it so.
  deprecatedSiteLocal: 'private',
  linkLocal: 'link-local',
};

function ipv4Kind(address: ipaddr.IPv4): BlockedAddressKind | undefined {
  const range: string = address.range();
  return range === 'unicast' ? undefined : (ipv4Kinds[range] ?? 'reserved');
}

/** An IPv4 address from two 16-bit words of an IPv6 address. */
const ipv4Of = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 addresses an IPv6 address carries and is routed by, or undefined when it carries none.
 * `range` is ipaddr's name for the address.
 */
function embeddedIpv4s(address: ipaddr.IPv6, range: string): ipaddr.IPv4[] | undefined {
  const [p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0] = address.parts;
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return [ipv4Of(p6, p7)];
    case 'rfc6052':
      // 64:ff9b:1::/48 (RFC 8215) uses the /48 layout of RFC 6052: bits 48-63, the u-octet (64-71), then bits 72-87.
      if (p2 === 1) return [new ipaddr.IPv4([p3 >> 8, p3 & 0xff, p4 & 0xff, p5 >> 8])];
      return [ipv4Of(p6, p7)]; // 64:ff9b::/96
    case '6to4': // 2002:AABB:CCDD::/48
      return [ipv4Of(p1, p2)];
    case 'teredo': // 2001:0:server:server:flags:port:~client:~client; the relay reaches both
      return [ipv4Of(p2, p3), ipv4Of(p6 ^ 0xffff, p7 ^ 0xffff)];
    case 'unicast':
      // ipaddr calls IPv4-compatible ::a.b.c.d unicast (only :: and ::1 have names), yet stacks still route it as IPv4.
      return p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0 ? [ipv4Of(p6, p7)] : undefined;
    default:
      return undefined;
  }
}

function ipv6Kind(address: ipaddr.IPv6): BlockedAddressKind | undefined {
  const range: string = address.range();
  const carried = embeddedIpv4s(address, range);
  if (carried) {
    for (const inner of carried) {
      const kind = ipv4Kind(inner);
      if (kind) return kind;
    }
    return undefined;
  }
  if (range !== 'unicast') return ipv6Kinds[range] ?? 'reserved';
  // Only 2000::/3 is handed out as global unicast; ipaddr's "unicast" is whatever it has no name for.
  return ((address.parts[0] ?? 0) & 0xe000) === 0x2000 ? undefined : 'reserved';
}

/**
 * Why an IP address must not be fetched (loopback, private, link-local, reserved), or undefined for a public one.
 * Only addresses ipaddr.js calls unicast pass, for both families; IPv4 inside IPv6 (mapped, IPv4-compatible,
 * rfc6145, NAT64, 6to4, Teredo) is judged as the IPv4 address it carries. Anything not an IP address is 'reserved'.
 */
export function blockedAddressKind(address: string): BlockedAddressKind | undefined {
  // net.isIP is strict; ipaddr.js alone would also take '127.1' or '0x7f.0.0.1', which are refused rather than guessed at.
  if (isIP(address) === 0) return 'reserved';
  const parsed = ipaddr.parse(address);
  return parsed instanceof ipaddr.IPv4 ? ipv4Kind(parsed) : ipv6Kind(parsed);
}
