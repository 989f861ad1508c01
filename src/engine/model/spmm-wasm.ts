/**
 * The sparse-dense product out += Â·M of the GCN's message passing as a tiny hand-assembled
 * WebAssembly SIMD function (f32x4). V8 does not vectorize the same loop written in JS, which
 * measured 0.3 GFLOP/s against several for this kernel; the bytes below are the whole module.
 *
 * spmm(rowPtr, col, val, m, out, n, rowBytes): for each row i < n, for k in rowPtr[i]..rowPtr[i+1]:
 *   out[i, :] += val[k] · m[col[k], :]   (rows of rowBytes/4 float32, rowBytes a multiple of 16)
 * All arguments are byte offsets into the module's exported memory.
 */
import { leb, name, section } from './wasm-encode.ts';

const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const I32_GE_S = 0x4e;
const I32_LOAD = 0x28;
const F32_LOAD = 0x2a;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const V128_STORE = [SIMD, 0x0b];
const F32X4_SPLAT = [SIMD, 0x13];
const F32X4_ADD = [SIMD, 0xe4, 0x01];
const F32X4_MUL = [SIMD, 0xe6, 0x01];

// params 0 rowPtr, 1 col, 2 val, 3 m, 4 out, 5 n, 6 rowBytes; locals 7 i, 8 k, 9 kend, 10 orow, 11 mrow, 12 j, 13 v
const [rowPtr, col, val, m, out, n, rowBytes, i, k, kend, orow, mrow, j, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const get = (x: number): number[] => [LOCAL_GET, x];
const set = (x: number): number[] => [LOCAL_SET, x];
const inc = (x: number, by: number): number[] => [...get(x), I32_CONST, by, I32_ADD, ...set(x)];
/** One f32x4 step at byte offset `off` within the row: out[orow+j+off] += v · m[mrow+j+off]. */
const axpy = (off: number): number[] => [
  ...get(orow), ...get(j), I32_ADD,
  ...get(orow), ...get(j), I32_ADD, ...V128_LOAD, 0, off,
  ...get(v),
  ...get(mrow), ...get(j), I32_ADD, ...V128_LOAD, 0, off,
  ...F32X4_MUL, ...F32X4_ADD,
  ...V128_STORE, 0, off,
];

// prettier-ignore
const body: number[] = [
  2, 6, 0x7f, 1, 0x7b, // locals: 6 × i32, 1 × v128
  I32_CONST, 0, ...set(i),
  BLOCK, VOID, LOOP, VOID,
  ...get(i), ...get(n), I32_GE_S, BR_IF, 1,
  ...get(rowPtr), ...get(i), I32_CONST, 2, I32_SHL, I32_ADD, LOCAL_TEE, kend, I32_LOAD, 2, 0, ...set(k),
  ...get(kend), I32_LOAD, 2, 4, ...set(kend),
  ...get(out), ...get(i), ...get(rowBytes), I32_MUL, I32_ADD, ...set(orow),
  BLOCK, VOID, LOOP, VOID,
  ...get(k), ...get(kend), I32_GE_S, BR_IF, 1,
  ...get(val), ...get(k), I32_CONST, 2, I32_SHL, I32_ADD, F32_LOAD, 2, 0, ...F32X4_SPLAT, ...set(v),
  ...get(m), ...get(col), ...get(k), I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, 2, 0, ...get(rowBytes), I32_MUL, I32_ADD, ...set(mrow),
  I32_CONST, 0, ...set(j),
  BLOCK, VOID, LOOP, VOID,
  ...get(j), ...get(rowBytes), I32_GE_S, BR_IF, 1,
  // four vectors (16 floats) per trip when the row allows, else one
  ...axpy(0),
  ...inc(j, 16),
  BR, 0,
  END, END,
  ...inc(k, 1),
  BR, 0,
  END, END,
  ...inc(i, 1),
  BR, 0,
  END, END,
  END,
];


function moduleBytes(): Uint8Array {
  const fn = [...leb(body.length), ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('spmm'), 0x00, 0, ...name('mem'), 0x02, 0]),
    ...section(10, [1, ...fn]),
  ]);
}

// The node-only lib (no DOM) lacks WebAssembly's JS API types: the few members used, declared here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => WasmInstance;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type SpmmFn = (rowPtr: number, col: number, val: number, m: number, out: number, n: number, rowBytes: number) => void;

/** CSR structure of one batch, as the kernel reads it. */
export interface Csr {
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float32Array;
}

/**
 * One instance per thread: owns a WebAssembly memory, keeps the last batch's CSR in it (the same
 * batch is multiplied four to six times per step) and copies the dense operand in and out.
 */
export class WasmSpmm {
  private readonly fn: SpmmFn;
  private readonly mem: WasmMemory;
  private bound: Csr | null = null;
  private offs = { rowPtr: 0, col: 0, val: 0, dense: 0 };

  private constructor(instance: WasmInstance) {
    this.fn = instance.exports.spmm as SpmmFn;
    this.mem = instance.exports.mem as WasmMemory;
  }

  /** Null where WebAssembly SIMD is unavailable (the JS loop is then used). */
  static create(): WasmSpmm | null {
    try {
      const bytes = moduleBytes();
      if (!wasmApi.validate(bytes)) return null;
      return new WasmSpmm(new wasmApi.Instance(new wasmApi.Module(bytes)));
    } catch {
      return null;
    }
  }

  private reserve(bytes: number): void {
    const have = this.mem.buffer.byteLength;
    if (bytes > have) this.mem.grow(Math.ceil((bytes - have) / 65536));
  }

  private bind(a: Csr): void {
    if (this.bound === a) return;
    const n = a.rowPtr.length;
    const nnz = a.col.length;
    const align = (x: number): number => Math.ceil(x / 16) * 16;
    this.offs.rowPtr = 0;
    this.offs.col = align(n * 4);
    this.offs.val = this.offs.col + align(nnz * 4);
    this.offs.dense = this.offs.val + align(nnz * 4);
    this.reserve(this.offs.dense);
    new Int32Array(this.mem.buffer, this.offs.rowPtr, n).set(a.rowPtr);
    new Int32Array(this.mem.buffer, this.offs.col, nnz).set(a.col);
    new Float32Array(this.mem.buffer, this.offs.val, nnz).set(a.val);
    this.bound = a;
  }

  /** out += Â·m for m, out: [rows, f] row-major, f a multiple of 4. */
  run(a: Csr, m: Float32Array, f: number, out: Float32Array): void {
    const o = this.compute(a, m, f, out);
    out.set(o);
  }

  /** Â·m as a new array (one copy less than run() into zeros: the zeros are written in place). */
  product(a: Csr, m: Float32Array, f: number): Float32Array {
    return this.compute(a, m, f, null).slice();
  }

  /** Runs the kernel; the result is a view on the module's memory, valid until the next call. */
  private compute(a: Csr, m: Float32Array, f: number, init: Float32Array | null): Float32Array {
    this.bind(a);
    const rows = a.rowPtr.length - 1;
    const size = rows * f * 4;
    const mOff = this.offs.dense;
    const oOff = mOff + size;
    this.reserve(oOff + size);
    new Float32Array(this.mem.buffer, mOff, rows * f).set(m.subarray(0, rows * f));
    const o = new Float32Array(this.mem.buffer, oOff, rows * f);
    if (init) o.set(init.subarray(0, rows * f));
    else o.fill(0);
    this.fn(this.offs.rowPtr, this.offs.col, this.offs.val, mOff, oOff, rows, f * 4);
    return o;
  }
}
