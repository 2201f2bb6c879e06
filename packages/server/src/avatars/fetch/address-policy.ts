/**
 * @module Which resolved addresses the server may fetch images from: public unicast only. Everything that can
 * reach the server itself, its network or a cloud metadata service is refused, including IPv6 forms that embed
 * an IPv4 address (mapped, compatible, NAT64, 6to4), which are judged by the address they embed.
 */
import ipaddr from 'ipaddr.js';

const BLOCKED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];

const BLOCKED_V6: Array<[string, number, string]> = [
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'reserved (Teredo, ORCHID, benchmarking)'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local (cloud metadata)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const v4Ranges = BLOCKED_V4.map(([a, bits, why]) => [ipaddr.IPv4.parse(a), bits, why] as const);
const v6Ranges = BLOCKED_V6.map(([a, bits, why]) => [ipaddr.IPv6.parse(a), bits, why] as const);
const GLOBAL_UNICAST = ipaddr.IPv6.parse('2000::');

/** Why the address may not be fetched from, or undefined when it is a public unicast address. */
export function blockedReason(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'not an IP address';
  }
  return parsed.kind() === 'ipv4' ? blockedV4(parsed as ipaddr.IPv4) : blockedV6(parsed as ipaddr.IPv6);
}

function blockedV4(ip: ipaddr.IPv4): string | undefined {
  for (const [range, bits, why] of v4Ranges) if (ip.match(range, bits)) return why;
  return undefined;
}

function blockedV6(ip: ipaddr.IPv6): string | undefined {
  const embedded = embeddedV4(ip);
  if (embedded) {
    const why = blockedV4(embedded);
    return why ? `${why} (embedded in IPv6)` : undefined;
  }
  const p = ip.parts;
  if (p.every((x) => x === 0)) return 'unspecified';
  if (p.slice(0, 7).every((x) => x === 0) && p[7] === 1) return 'loopback';
  for (const [range, bits, why] of v6Ranges) if (ip.match(range, bits)) return why;
  if (!ip.match(GLOBAL_UNICAST, 3)) return 'not global unicast';
  return undefined;
}

/** The IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d and 2002:aabb:ccdd::/48. */
function embeddedV4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && p[5] === 0xffff) return fromWords(p[6]!, p[7]!); // IPv4-mapped
  if (zeros(0, 6) && (p[6] !== 0 || p[7]! > 1)) return fromWords(p[6]!, p[7]!); // IPv4-compatible
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return fromWords(p[6]!, p[7]!); // NAT64
  if (p[0] === 0x2002) return fromWords(p[1]!, p[2]!); // 6to4
  return undefined;
}
