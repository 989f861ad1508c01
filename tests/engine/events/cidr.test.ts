import { describe, expect, it } from 'vitest';
import { inCidr, parseCidr, parseIp } from '../../../src/engine/events/cidr.ts';

const within = (ip: string, block: string): boolean => inCidr(parseIp(ip)!, parseCidr(block)!);

describe('CIDR matching', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.0.0.1', '10.0.0.0/8', false],
    ['192.168.1.255', '192.168.1.0/24', true],
    ['0.0.0.1', '0.0.0.0/0', true],
    ['2001:db8:5::17', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['::ffff:10.0.0.5', '10.0.0.0/24', true],
    ['fe80::1%eth0', 'fe80::/10', true],
    ['10.0.0.5', '::/0', false],
    ['203.0.113.50', '203.0.113.50', true],
    ['2001:db8::1:0:0:1', '2001:db8:0:0:1::/80', true],
  ])('%s in %s: %s', (ip, block, want) => {
    expect(within(ip, block)).toBe(want);
  });

  it.each(['10.0.0', '10.0.0.256', '1::2::3', '2001:db8::/129', '10.0.0.0/33', 'gggg::1', 'alice'])('rejects %s', (s) => {
    expect(parseCidr(s)).toBeNull();
  });
});
