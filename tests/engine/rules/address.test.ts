import { describe, expect, it } from 'vitest';
import { isPublicAddress, publicSource } from '../../../src/engine/rules/address.ts';

describe('isPublicAddress', () => {
  it('calls private, loopback, link-local, CGNAT and unique-local addresses internal', () => {
    for (const ip of ['10.0.0.1', '172.16.4.2', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.10', '100.127.255.1', '0.0.0.0',
      '::1', 'fd12:3456::1', 'fc00::2', 'fe80::1', '::ffff:10.1.2.3']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('calls everything else public, the documentation ranges included', () => {
    for (const ip of ['8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '192.169.0.1', '198.51.100.7', '203.0.113.9', '192.0.2.10', '2001:db8::1', '2600:1f18::5', '::ffff:52.1.2.3']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it('calls what is not an address not public', () => {
    expect(isPublicAddress('')).toBe(false);
    expect(isPublicAddress('node-1')).toBe(false);
    expect(isPublicAddress('300.1.1.1')).toBe(false);
  });

  it('finds a public address anywhere in a forwarded chain', () => {
    expect(publicSource(['10.0.0.5', '52.1.2.3'])).toBe('52.1.2.3');
    expect(publicSource(['10.0.0.5', '192.168.0.1'])).toBeNull();
  });
});
