import { describe, expect, it } from 'vitest';
import { blockedReason } from './address-policy.js';

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['224.0.0.251', 'multicast'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique local (cloud metadata)'],
    ['fc00::1', 'unique local (cloud metadata)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (embedded in IPv6)'],
    ['::ffff:7f00:1', 'loopback (embedded in IPv6)'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata) (embedded in IPv6)'],
    ['::10.0.0.1', 'private (embedded in IPv6)'],
    ['64:ff9b::192.168.0.1', 'private (embedded in IPv6)'],
    ['2002:7f00:1::', 'loopback (embedded in IPv6)'],
    ['2002:a9fe:a9fe::1', 'link-local (cloud metadata) (embedded in IPv6)'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378::1', 'reserved (Teredo, ORCHID, benchmarking)'],
    ['fe80::1%eth0', 'link-local'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, why) => {
    expect(blockedReason(address)).toBe(why);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(blockedReason(address)).toBeUndefined();
  });
});
