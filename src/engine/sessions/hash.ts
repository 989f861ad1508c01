const encoder = new TextEncoder();

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain algorithm), over the UTF-8
 * bytes of `s`. Returned as a signed 32-bit integer, which is what scikit-learn's FeatureHasher
 * (and the talk's pipeline) feed into the signed hashing trick.
 */
export function murmur3(s: string, seed = 0): number {
  const bytes = encoder.encode(s);
  const len = bytes.length;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2] << 16;
    if (tail >= 2) k ^= bytes[blocks + 1] << 8;
    k ^= bytes[blocks];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The signed hashing trick as scikit-learn's FeatureHasher does it: index = |h| mod dim and the
 * sign of h picks ±1, so colliding tokens tend to cancel instead of piling up.
 */
export function hashInto(out: Float32Array, offset: number, dim: number, token: string): void {
  const h = murmur3(token);
  // Math.abs(-2^31) is 2^31, still a valid non-negative number here (not an int32 overflow).
  const idx = Math.abs(h) % dim;
  out[offset + idx] += h >= 0 ? 1 : -1;
}
