/**
 * A tiny WebAssembly assembler: enough of the binary format to emit a module of a few
 * functions over one exported memory. The random-number kernels are written with it in
 * TypeScript (opcode by name, checked by the tests against an independent reference), so
 * the build needs no wasm toolchain and no binary blob is committed.
 */

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F64 | typeof V128;

/** One function: its signature, its extra locals (after the params) and its body. */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly locals: readonly ValType[];
  readonly body: readonly number[];
}

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 64-bit value. */
export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** Instructions, each as its bytes. Memory accesses take a byte offset and assume alignment. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(BigInt(v | 0))],
  i64Const: (v: bigint) => [0x42, ...sleb(BigInt.asIntN(64, v))],
  i32Eqz: [0x45],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i64Load: (offset: number) => [0x29, 3, ...uleb(offset)],
  i64Store: (offset: number) => [0x37, 3, ...uleb(offset)],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f64ConvertI64U: [0xba],
  v128Load: (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  v128Const: (bytes: readonly number[]) => [0xfd, ...uleb(0x0c), ...bytes],
  i8x16Shuffle: (lanes: readonly number[]) => [0xfd, ...uleb(0x0d), ...lanes],
  i64x2ExtractLane: (lane: number) => [0xfd, ...uleb(0x1d), lane],
  v128Or: [0xfd, ...uleb(0x50)],
  v128Xor: [0xfd, ...uleb(0x51)],
  i64x2Shl: [0xfd, ...uleb(0xcb)],
  i64x2ShrU: [0xfd, ...uleb(0xcd)],
  i64x2Add: [0xfd, ...uleb(0xce)],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Sub: [0xfd, ...uleb(0xf1)],
} as const;

/** A v128 constant holding the same 64-bit value in both lanes. */
export function i64x2Splat(v: bigint): number[] {
  const b = new Uint8Array(16);
  const view = new DataView(b.buffer);
  view.setBigUint64(0, BigInt.asUintN(64, v), true);
  view.setBigUint64(8, BigInt.asUintN(64, v), true);
  return op.v128Const([...b]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function utf8(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [...uleb(b.length), ...b];
}

function codeOf(f: WasmFunction): number[] {
  const locals = vec(f.locals.map((t) => [1, t]));
  const body = [...locals, ...f.body, ...op.end];
  return [...uleb(body.length), ...body];
}

/**
 * The bytes of a module holding `funcs` (exported by name) and a memory of `pages` 64 KiB
 * pages exported as `memory`.
 * @example new WebAssembly.Module(moduleBytes([addOne], 1))
 */
export function moduleBytes(funcs: readonly WasmFunction[], pages: number): Uint8Array {
  const types = vec(
    funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]),
  );
  const exports = vec([
    ...funcs.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]),
    [...utf8('memory'), 0x02, 0],
  ]);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(5, [1, 0x00, ...uleb(pages)]),
    ...section(7, exports),
    ...section(10, vec(funcs.map(codeOf))),
  ]);
}
