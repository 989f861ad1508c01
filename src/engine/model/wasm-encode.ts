// The few pieces of the WebAssembly binary format both hand-assembled kernels need
// (spmm-wasm.ts, gemm-wasm.ts): LEB128 integers, sections and names.

/** Unsigned LEB128. */
export function leb(x: number): number[] {
  const out: number[] = [];
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(x: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A module section: id, byte length, content. */
export const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];

/** An ASCII name as the binary format writes it (length, bytes). */
export const name = (s: string): number[] => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
