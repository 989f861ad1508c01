/**
 * The fused GCN's two row kernels as one hand-assembled WebAssembly SIMD module, generated for a
 * given output width (hidden size) so that a panel of an output row lives in v128 locals
 * (registers) while its inputs stream past: no per-MAC load/store of the output, which is what made the older
 * spmm kernel memory-bound. Both end in the same per-row epilogue, so bias, ReLU and the ReLU
 * gradient mask cost no extra pass over the data.
 *
 * dense(a, sI, sK, b, c, rows, kc, init, bias, relu, mask), two rows per trip (each loaded B
 * vector feeds both: ~35 % fewer CPU-ms per training step than one row):
 *   for i < rows: acc = init ? C[i] : 0;  for k < kc: acc += A(i, k) · B[k, :];  C[i] = ep(acc)
 *   A(i, k) is the f32 at byte a + i·sI + k·sK (strides make Aᵀ, a broadcast scalar and a
 *   plain row-major A the same kernel).
 * sparse(rowPtr, col, val, b, c, rows, bias, relu, mask):
 *   for i < rows: acc = Σ_{k ∈ rowPtr[i]..rowPtr[i+1]} val[k] · B[col[k], :];  C[i] = ep(acc)
 * ep(acc) = acc (+ bias[:] if bias ≠ 0) (max 0 if relu) (zeroed where mask[i, :] ≤ 0 if mask ≠ 0)
 * B, C and mask rows are `width` float32 (width a multiple of 4); every argument is a byte offset
 * into the exported memory `mem`, whose first 64 bytes are never used (0 means "none").
 */

import v8 from 'node:v8';
import { leb, name, section, sleb } from './wasm-encode.ts';

const SIMD = 0xfd;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, i32Load: 0x28, f32Load: 0x2a, i32Const: 0x41,
  i32GeS: 0x4e, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
};
const simd = (code: number): number[] => [SIMD, ...leb(code)];
const V128_LOAD = simd(0x00);
const V128_STORE = simd(0x0b);
const V128_CONST0 = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const V128_AND = simd(0x4e);
const F32X4_SPLAT = simd(0x13);
const F32X4_GT = simd(0x44);
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const F32X4_MAX = simd(0xe9);
const F32X4_RELAXED_MADD = simd(0x105);


const get = (x: number): number[] => [op.get, ...leb(x)];
const set = (x: number): number[] => [op.set, ...leb(x)];
const i32 = (x: number): number[] => [op.i32Const, ...sleb(x)];
const addTo = (x: number, by: number[]): number[] => [...get(x), ...by, op.i32Add, ...set(x)];
const mem = (offset: number): number[] => [0, ...leb(offset)];


/** Loop `while (!(a >= b)) { body }` on i32 locals. */
const whileLt = (a: number, b: number, body: number[]): number[] => [op.block, op.void, op.loop, op.void, ...get(a), ...get(b), op.i32GeS, op.brIf, 1, ...body, op.br, 0, op.end, op.end];

interface Regs {
  /** Multiply-add in one instruction (relaxed SIMD's f32x4.relaxed_madd: an FMA where the CPU has one). */
  fma: boolean;
  /** Vectors per call (a column panel) and the byte stride between rows (the whole width). */
  vecs: number;
  rowBytes: number;
  acc: number; // first accumulator local
  s: number;
  zero: number;
  crow: number;
  mrow: number;
  bias: number;
  relu: number;
  mask: number;
}

/** acc_v += s · B[bp + 16v] for every vector of the row. */
function axpyRow(r: Regs, bp: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < r.vecs; v++) {
    if (r.fma) out.push(...get(r.s), ...get(bp), ...V128_LOAD, ...mem(v * 16), ...get(r.acc + v), ...F32X4_RELAXED_MADD, ...set(r.acc + v));
    else out.push(...get(r.acc + v), ...get(r.s), ...get(bp), ...V128_LOAD, ...mem(v * 16), ...F32X4_MUL, ...F32X4_ADD, ...set(r.acc + v));
  }
  return out;
}

function zeroAcc(r: Regs): number[] {
  const out: number[] = [];
  for (let v = 0; v < r.vecs; v++) out.push(...get(r.zero), ...set(r.acc + v));
  return out;
}

function epilogue(r: Regs): number[] {
  const out: number[] = [];
  const each = (f: (v: number) => number[]): number[] => Array.from({ length: r.vecs }, (_, v) => f(v)).flat();
  out.push(...get(r.bias), op.if, op.void, ...each((v) => [...get(r.acc + v), ...get(r.bias), ...V128_LOAD, ...mem(v * 16), ...F32X4_ADD, ...set(r.acc + v)]), op.end);
  out.push(...get(r.relu), op.if, op.void, ...each((v) => [...get(r.acc + v), ...get(r.zero), ...F32X4_MAX, ...set(r.acc + v)]), op.end);
  out.push(...get(r.mask), op.if, op.void, ...each((v) => [...get(r.acc + v), ...get(r.mrow), ...V128_LOAD, ...mem(v * 16), ...get(r.zero), ...F32X4_GT, ...V128_AND, ...set(r.acc + v)]), op.end);
  out.push(...each((v) => [...get(r.crow), ...get(r.acc + v), ...V128_STORE, ...mem(v * 16)]));
  return out;
}

/** acc_v += s · t and acc1_v += s1 · t with t = B[bp + 16v] loaded once for both rows. */
function axpyTwoRows(r: Regs, s1: number, acc1: number, t: number, bp: number): number[] {
  const out: number[] = [];
  const madd = (sv: number, accv: number): number[] => (r.fma ? [...get(sv), ...get(t), ...get(accv), ...F32X4_RELAXED_MADD, ...set(accv)] : [...get(accv), ...get(sv), ...get(t), ...F32X4_MUL, ...F32X4_ADD, ...set(accv)]);
  for (let v = 0; v < r.vecs; v++) out.push(...get(bp), ...V128_LOAD, ...mem(v * 16), ...set(t), ...madd(r.s, r.acc + v), ...madd(s1, acc1 + v));
  return out;
}

function denseBody(vecs: number, rowBytes: number, fma: boolean): number[] {
  // params: 0 a, 1 sI, 2 sK, 3 b, 4 c, 5 rows, 6 kc, 7 init, 8 bias, 9 relu, 10 mask
  // i32 locals: 11 i, 12 k, 13 ap, 14 bp, 15 crow, 16 mrow, 17 arow, 18 crow1, 19 mrow1, 20 rows1
  // v128: 21 s, 22 zero, 23 s1, 24 t, 25.. acc (row i), 25 + vecs.. acc1 (row i + 1)
  const [a, sI, sK, b, c, rows, kc, init, bias, relu, mask] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [i, k, ap, bp, crow, mrow, arow, crow1, mrow1, rows1, s, zero, s1, t, acc] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];
  const acc1 = acc + vecs;
  const r: Regs = { fma, vecs, rowBytes, acc, s, zero, crow, mrow, bias, relu, mask };
  const r1: Regs = { ...r, acc: acc1, crow: crow1, mrow: mrow1 };
  const loadC = (q: Regs): number[] => Array.from({ length: vecs }, (_, v) => [...get(q.crow), ...V128_LOAD, ...mem(v * 16), ...set(q.acc + v)]).flat();
  const start = (q: Regs): number[] => [...get(init), op.if, op.void, ...loadC(q), op.else, ...zeroAcc(q), op.end];
  const next = (n: number): number[] => [...addTo(crow, i32(n * rowBytes)), ...addTo(mrow, i32(n * rowBytes)), ...addTo(i, i32(n))];
  return [
    2, 10, 0x7f, ...leb(4 + 2 * vecs), 0x7b,
    ...V128_CONST0, ...set(zero),
    ...i32(0), ...set(i), ...get(a), ...set(arow), ...get(c), ...set(crow), ...get(mask), ...set(mrow),
    ...get(rows), ...i32(1), op.i32Sub, ...set(rows1),
    // two rows per trip: each loaded B vector feeds both rows' accumulators
    ...whileLt(i, rows1, [
      ...get(crow), ...i32(rowBytes), op.i32Add, ...set(crow1), ...get(mrow), ...i32(rowBytes), op.i32Add, ...set(mrow1),
      ...start(r), ...start(r1),
      ...get(arow), ...set(ap), ...get(b), ...set(bp), ...i32(0), ...set(k),
      ...whileLt(k, kc, [
        ...get(ap), op.f32Load, 2, 0, ...F32X4_SPLAT, ...set(s),
        ...get(ap), ...get(sI), op.i32Add, op.f32Load, 2, 0, ...F32X4_SPLAT, ...set(s1),
        ...axpyTwoRows(r, s1, acc1, t, bp),
        ...addTo(ap, get(sK)), ...addTo(bp, i32(rowBytes)), ...addTo(k, i32(1)),
      ]),
      ...epilogue(r), ...epilogue(r1),
      ...addTo(arow, get(sI)), ...addTo(arow, get(sI)), ...next(2),
    ]),
    // the odd last row
    ...whileLt(i, rows, [
      ...start(r),
      ...get(arow), ...set(ap), ...get(b), ...set(bp), ...i32(0), ...set(k),
      ...whileLt(k, kc, [
        ...get(ap), op.f32Load, 2, 0, ...F32X4_SPLAT, ...set(s),
        ...axpyRow(r, bp),
        ...addTo(ap, get(sK)), ...addTo(bp, i32(rowBytes)), ...addTo(k, i32(1)),
      ]),
      ...epilogue(r),
      ...addTo(arow, get(sI)), ...next(1),
    ]),
    op.end,
  ];
}

function sparseBody(vecs: number, rowBytes: number, fma: boolean): number[] {
  // params: 0 rowPtr, 1 col, 2 val, 3 b, 4 c, 5 rows, 6 bias, 7 relu, 8 mask
  // i32 locals: 9 i, 10 k, 11 kend, 12 crow, 13 mrow, 14 bp, 15 rp; v128: 16 s, 17 zero, 18.. acc
  const [rowPtr, col, val, b, c, rows, bias, relu, mask] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, k, kend, crow, mrow, bp, rp, s, zero, acc] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const r: Regs = { fma, vecs, rowBytes, acc, s, zero, crow, mrow, bias, relu, mask };
  const shl2 = [...i32(2), op.i32Shl];
  return [
    2, 7, 0x7f, ...leb(2 + vecs), 0x7b,
    ...V128_CONST0, ...set(zero),
    ...i32(0), ...set(i), ...get(c), ...set(crow), ...get(mask), ...set(mrow), ...get(rowPtr), ...set(rp),
    ...whileLt(i, rows, [
      ...zeroAcc(r),
      ...get(rp), op.i32Load, 2, 0, ...set(k),
      ...get(rp), op.i32Load, 2, 4, ...set(kend),
      ...whileLt(k, kend, [
        ...get(val), ...get(k), ...shl2, op.i32Add, op.f32Load, 2, 0, ...F32X4_SPLAT, ...set(s),
        ...get(b), ...get(col), ...get(k), ...shl2, op.i32Add, op.i32Load, 2, 0, ...i32(r.rowBytes), op.i32Mul, op.i32Add, ...set(bp),
        ...axpyRow(r, bp),
        ...addTo(k, i32(1)),
      ]),
      ...epilogue(r),
      ...addTo(rp, i32(4)), ...addTo(crow, i32(r.rowBytes)), ...addTo(mrow, i32(r.rowBytes)), ...addTo(i, i32(1)),
    ]),
    op.end,
  ];
}

const fnType = (params: number): number[] => [0x60, params, ...new Array<number>(params).fill(0x7f), 0];

/**
 * Kernels over column panels of `panel` vectors of rows `width` floats wide. x86-64 has 16 SIMD
 * registers: a whole 64-wide row (16 accumulators plus the broadcast and the loaded operand)
 * spilled; a panel keeps its accumulators in registers.
 */
export function gemmModuleBytes(width: number, panel: number, fma = false): Uint8Array {
  if (width < 4 || width % 4 !== 0) throw new Error(`kernel width ${width} is not a positive multiple of 4`);
  const vecs = panel;
  const rowBytes = width * 4;
  const code = (body: number[]): number[] => [...leb(body.length), ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [2, ...fnType(11), ...fnType(9)]),
    ...section(3, [2, 0, 1]),
    ...section(5, [1, 0, 1]),
    ...section(7, [3, ...name('dense'), 0x00, 0, ...name('sparse'), 0x00, 1, ...name('mem'), 0x02, 0]),
    ...section(10, [2, ...code(denseBody(vecs, rowBytes, fma)), ...code(sparseBody(vecs, rowBytes, fma))]),
  ]);
}

export type DenseFn = (a: number, sI: number, sK: number, b: number, c: number, rows: number, kc: number, init: number, bias: number, relu: number, mask: number) => void;
export type SparseFn = (rowPtr: number, col: number, val: number, b: number, c: number, rows: number, bias: number, relu: number, mask: number) => void;

// The node-only lib (no DOM) lacks WebAssembly's JS API types: the few members used, declared here.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export interface GemmKernels {
  dense: DenseFn;
  sparse: SparseFn;
  mem: WasmMemory;
}

/**
 * Largest divisor of `vecs` not above 4: at hidden 64 on the shared 2-core EPYC, panels of 4
 * vectors (8 accumulators for the two rows) measured clearly fewer CPU-ms per training step than
 * 8 (spills) or 2 (more loads per MAC).
 */
function panelFor(vecs: number): number {
  for (let p = Math.min(4, vecs); p > 1; p--) if (vecs % p === 0) return p;
  return 1;
}

function instantiate(bytes: Uint8Array): Record<string, unknown> | null {
  if (!wasmApi?.validate(bytes)) return null;
  return new wasmApi.Instance(new wasmApi.Module(bytes)).exports;
}

/**
 * The FMA build where this V8 has relaxed SIMD (on by default from V8 11.4; Node 20's 11.3 keeps
 * it behind a flag that only gates compilation, so it is switched on here) and it computes a small
 * product exactly; else the mul + add build. An FMA halves the arithmetic instructions of the
 * inner loop, which is what bounds it once the accumulators sit in registers.
 */
function instantiateBest(width: number, panel: number, allowFma: boolean): Record<string, unknown> | null {
  if (!allowFma) return instantiate(gemmModuleBytes(width, panel, false));
  const fmaBytes = gemmModuleBytes(width, panel, true);
  if (!wasmApi?.validate(fmaBytes)) {
    try {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      // not Node's V8: the plain build below
    }
  }
  const fma = instantiate(fmaBytes);
  if (fma && productIsExact(fma, width, panel)) return fma;
  return instantiate(gemmModuleBytes(width, panel, false));
}

/** [1, 2] · [[r], [r + 1]] for row r = 0…width−1 in small integers, so FMA and mul + add must agree exactly. */
function productIsExact(ex: Record<string, unknown>, width: number, panel: number): boolean {
  const mem = ex.mem as WasmMemory;
  mem.grow(1);
  const f = new Float32Array(mem.buffer);
  const b = 128;
  const c = b + 2 * width * 4;
  f.set([1, 2], 16);
  for (let j = 0; j < width; j++) {
    f[b / 4 + j] = j;
    f[b / 4 + width + j] = j + 1;
  }
  (ex.dense as DenseFn)(64, 8, 4, b, c, 1, 2, 0, 0, 0, 0);
  // one raw call covers the first panel
  for (let j = 0; j < panel * 4; j++) if (f[c / 4 + j] !== 3 * j + 2) return false;
  f.fill(0);
  return true;
}

/**
 * A fresh instance (own memory) for rows of `width` floats; null where WebAssembly SIMD is missing.
 * The functions it returns cover the whole width, one kernel call per column panel.
 */
export function createGemmKernels(width: number, panelVecs?: number, allowFma = true): GemmKernels | null {
  try {
    const vecs = width / 4;
    const panel = panelVecs ?? panelFor(vecs);
    if (vecs % panel !== 0) throw new Error(`panel ${panel} does not divide ${vecs} vectors`);
    const ex = instantiateBest(width, panel, allowFma);
    if (!ex) return null;
    const d = ex.dense as DenseFn;
    const sp = ex.sparse as SparseFn;
    const panels = vecs / panel;
    if (panels === 1) return { dense: d, sparse: sp, mem: ex.mem as WasmMemory };
    const step = panel * 16;
    // 0 is "none" for bias and mask and must stay 0 in every panel
    const at = (x: number, p: number): number => (x ? x + p * step : 0);
    return {
      dense: (a, sI, sK, b, c, rows, kc, init, bias, relu, mask) => {
        for (let p = 0; p < panels; p++) d(a, sI, sK, b + p * step, c + p * step, rows, kc, init, at(bias, p), relu, at(mask, p));
      },
      sparse: (rowPtr, col, val, b, c, rows, bias, relu, mask) => {
        for (let p = 0; p < panels; p++) sp(rowPtr, col, val, b + p * step, c + p * step, rows, at(bias, p), relu, at(mask, p));
      },
      mem: ex.mem as WasmMemory,
    };
  } catch {
    return null;
  }
}
