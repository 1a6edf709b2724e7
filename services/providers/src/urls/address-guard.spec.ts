import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BlockedAddressKind, blockedAddressKind } from './address-guard.js';

type Case = [address: string, expected: BlockedAddressKind | undefined];

const check = (cases: Case[]) => {
  for (const [address, kind] of cases) assert.equal(blockedAddressKind(address), kind, address);
};

test('IPv4: loopback, private, link-local and reserved are refused, public unicast passes', () => {
  check([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['0.1.2.3', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['239.255.255.250', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['8.8.8.8', undefined],
    ['1.1.1.1', undefined],
    ['172.32.0.1', undefined],
    ['93.184.216.34', undefined],
  ]);
});

test('anything that is not a strictly written IP address is reserved', () => {
  check([
    ['not an ip', 'reserved'],
    ['', 'reserved'],
    ['127.1', 'reserved'],
    ['2130706433', 'reserved'],
    ['0x7f.0.0.1', 'reserved'],
    ['010.0.0.1', 'reserved'],
    ['[::1]', 'reserved'],
    ['::1/128', 'reserved'],
  ]);
});

test('IPv6: loopback, unique-local, site-local, link-local and reserved are refused, global unicast passes', () => {
  check([
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
    ['::', 'reserved'],
    ['0:0:0:0:0:0:0:0', 'reserved'],
    ['fd12:3456::1', 'private'],
    ['FC00::1', 'private'],
    ['fec0::1', 'private'],
    ['FEC0:0000:0000:0000:0000:0000:0000:0001', 'private'],
    ['feff::1', 'private'],
    ['fe80::1', 'link-local'],
    ['FE80:0:0:0:0:0:0:1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'reserved'],
    ['FF05::1:3', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:DB8:0:0:0:0:0:1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['5f00::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['::1:0:0:0:1', 'reserved'],
    ['2606:4700:4700::1111', undefined],
    ['2001:4860:4860::8888', undefined],
    ['2A00:1450:4001:82B::200E', undefined],
  ]);
});

test('IPv4-mapped ::ffff:0:0/96 is judged as its IPv4 address, dotted or hex', () => {
  check([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::FFFF:7F00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['0000:0000:0000:0000:0000:FFFF:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:0.0.0.0', 'reserved'],
    ['::ffff:8.8.8.8', undefined],
    ['::ffff:808:808', undefined],
    ['0:0:0:0:0:FFFF:0808:0808', undefined],
  ]);
});

test('IPv4-compatible ::/96 (but :: and ::1) is judged as its IPv4 address', () => {
  check([
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['0:0:0:0:0:0:7F00:0001', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['::a00:1', 'private'],
    ['::169.254.169.254', 'link-local'],
    ['::0.0.0.2', 'reserved'],
    ['::8.8.8.8', undefined],
    ['::808:808', undefined],
  ]);
});

test('rfc6145 ::ffff:0:0:0/96 is judged as its IPv4 address', () => {
  check([
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::FFFF:0:7F00:1', 'loopback'],
    ['0:0:0:0:ffff:0:a00:1', 'private'],
    ['::ffff:0:169.254.169.254', 'link-local'],
    ['::ffff:0:8.8.8.8', undefined],
  ]);
});

test('NAT64 64:ff9b::/96 is judged by its last 32 bits', () => {
  check([
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['0064:FF9B:0000:0000:0000:0000:7F00:0001', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b::8.8.8.8', undefined],
    ['64:FF9B::808:808', undefined],
    ['64:ff9b::1:0:0:1', 'reserved'],
  ]);
});

test('local-use NAT64 64:ff9b:1::/48 is judged by bits 48-63 and 72-87, skipping the u-octet', () => {
  check([
    ['64:ff9b:1:7f00:0:100::', 'loopback'],
    ['0064:ff9b:0001:7F00:0000:0100:0000:0000', 'loopback'],
    ['64:ff9b:1:a00:0:100::', 'private'],
    ['64:ff9b:1:c0a8:1:100::', 'private'],
    ['64:FF9B:1:A9FE:A9:FE00::', 'link-local'],
    // 198.51.100.1 (documentation); reading bits 64-79 as the last octets would give the public 198.51.0.100.
    ['64:ff9b:1:c633:64:100::', 'reserved'],
    // 198.51.0.100 is public; reading the last 32 bits would give 0.0.0.0.
    ['64:ff9b:1:c633:0:6400::', undefined],
    ['64:ff9b:1:808:8:800::', undefined],
  ]);
});

test('6to4 2002::/16 is judged as the IPv4 address in bits 16-47', () => {
  check([
    ['2002:7f00:0001::1', 'loopback'],
    ['2002:7F00:1::1', 'loopback'],
    ['2002:7f00:1:0:0:0:0:1', 'loopback'],
    ['2002:0a00:0001::', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002::1', 'reserved'],
    ['2002:e000:1::1', 'reserved'],
    ['2002:0808:0808::1', undefined],
    ['2002:808:808:0:0:0:0:1', undefined],
  ]);
});

test('Teredo 2001::/32 is refused when its server (bits 32-63) or its client (last 32 bits, inverted) is not public', () => {
  check([
    // server 65.54.227.120, client 8.8.8.8
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', undefined],
    ['2001:0000:4136:E378:8000:63BF:F7F7:F7F7', undefined],
    // client 127.0.0.1, 10.0.0.1, 169.254.169.254, 0.0.0.0
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'],
    ['2001:0000:4136:E378:8000:63BF:F5FF:FFFE', 'private'],
    ['2001:0:4136:e378:8000:63bf:5601:5601', 'link-local'],
    ['2001:0:4136:e378:8000:63bf:ffff:ffff', 'reserved'],
    // the client is stored inverted: a plain 127.0.0.1 there is 128.255.255.254
    ['2001:0:4136:e378:8000:63bf:7f00:1', undefined],
    // server 10.0.0.1, 127.0.0.1, 0.0.0.0 with a public client
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'private'],
    ['2001:0:7f00:1::f7f7:f7f7', 'loopback'],
    ['2001::1', 'reserved'],
  ]);
});
