import { describe, expect, it } from 'vitest';
import { hashInto, murmur3 } from '../../../src/engine/sessions/hash.ts';

describe('murmur3 (x86, 32-bit)', () => {
  it('matches the reference implementation on published vectors', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello') >>> 0).toBe(0x248bfa47);
    expect(murmur3('The quick brown fox jumps over the lazy dog') >>> 0).toBe(0x2e4ff723);
    // multi-byte UTF-8 is hashed as bytes, not UTF-16 units
    expect(murmur3('é')).not.toBe(murmur3('\u00e9\u0000'));
  });

  it('puts a signed unit into bucket |h| mod dim', () => {
    const x = new Float32Array(40);
    hashInto(x, 0, 40, 'hello');
    const h = murmur3('hello');
    expect(x[Math.abs(h) % 40]).toBe(h >= 0 ? 1 : -1);
    expect(x.reduce((s, v) => s + Math.abs(v), 0)).toBe(1);
  });
});
