/**
 * @module Which addresses URLs set by an account may reach: image URLs and an agent's `llm.base_url` alike.
 * Public unicast only (`avatars/fetch/address-policy.ts`), except the private hosts the operator lists in
 * AGENTHUMAN_ALLOWED_PRIVATE_HOSTS (host names, IPs or CIDRs; a local Ollama, for example).
 */
import ipaddr from 'ipaddr.js';
import { blockedReason as publicOnly } from '../avatars/fetch/address-policy.js';

export type OutboundGuard = {
  /** Why `address` (which `hostname` resolved to) may not be reached, or undefined when it may. */
  blockedReason(address: string, hostname?: string): string | undefined;
};

export function createOutboundGuard(allowedPrivateHosts: readonly string[]): OutboundGuard {
  const names = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of allowedPrivateHosts) {
    const item = entry.trim().toLowerCase();
    if (!item) continue;
    if (item.includes('/') && ipaddr.isValidCIDR(item)) ranges.push(ipaddr.parseCIDR(item));
    else if (ipaddr.isValid(item)) {
      const ip = ipaddr.parse(item);
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else names.add(item.replace(/\.$/, ''));
  }

  const listed = (address: string, hostname: string | undefined): boolean => {
    if (
      hostname &&
      names.has(
        hostname
          .toLowerCase()
          .replace(/^\[|\]$/g, '')
          .replace(/\.$/, ''),
      )
    )
      return true;
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
    } catch {
      return false;
    }
    return ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
  };

  return {
    blockedReason(address, hostname) {
      const why = publicOnly(address);
      if (!why || listed(address, hostname)) return undefined;
      return why;
    },
  };
}
