/**
 * Typed arrays as base64 for the case store's JSON: exact for Float64 (no decimal round trip)
 * and about a third of the size of a JSON number list.
 */
export function encodeTyped(a: Int32Array | Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function bytes(s: string, width: number): Buffer {
  const b = Buffer.from(s, 'base64');
  if (b.length % width !== 0) throw new Error('typed array payload has a ragged length');
  return b;
}

// Slicing the ArrayBuffer copies, which also puts the view on an aligned offset (Buffer pools
// small allocations at arbitrary offsets).
export function decodeI32(s: string): Int32Array {
  const b = bytes(s, 4);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function decodeF64(s: string): Float64Array {
  const b = bytes(s, 8);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
