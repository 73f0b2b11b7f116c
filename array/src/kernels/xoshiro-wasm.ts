/**
 * The xoshiro256+ kernels in WebAssembly SIMD: each i64x2 vector steps two independent
 * generators (lanes) at once, and LANE_VECTORS vectors run side by side so their
 * dependency chains overlap. A double is made from the top 52 bits of an output as
 * `bits(0x3FF0... | x >>> 12) - 1`, in [0, 1). `sum` adds the 52-bit integers without
 * storing anything (a reduction over a random array); `fill` stores the doubles in this
 * module's memory. The module
 * is compiled once per thread and cached.
 */
import {
  F64,
  I32,
  i64x2Splat,
  moduleBytes,
  op,
  V128,
  type ValType,
  type WasmFunction,
} from './wasm-emit.js';

/**
 * Vectors stepped per iteration: 2 (4 lanes) keeps two independent chains in flight:
 * 0.77 ns per summed double against 1.0 for 1 vector on these Xeons; 3 and 4 were no
 * faster (the loop is then bound by the three vector ports).
 */
export const LANE_VECTORS = 2;
/** Steps one `sum` call may take: 2^11 outputs below 2^52 per lane add to less than 2^64. */
export const MAX_SUM_STEPS = 2048;
/** Doubles made per step, one per lane; a stream is consumed in groups of this many. */
export const GROUP = 2 * LANE_VECTORS;
/** Bytes of generator state: four 64-bit words per lane. */
export const STATE_BYTES = GROUP * 32;
/** Where a stream's state is placed for a call. */
export const STATE_AT = 0;
/** Where `fill` writes; room for TILE_CAPACITY doubles. */
export const OUT_AT = 1024;
/** Doubles `fill` can write in one call: 32 KiB, which stays in L1/L2 until copied out. */
export const TILE_CAPACITY = 4096;

/** Bit pattern of 1.0: the exponent the 52 random bits are placed under. */
const ONE_BITS = 0x3ff0000000000000n;

// Locals: params first (state, steps[, out]), then four state words per vector, one
// accumulator per vector, one temporary.
const P_STATE = 0;
const P_STEPS = 1;
const P_OUT = 2;

interface Layout {
  readonly word: (v: number, w: number) => number;
  readonly acc: (v: number) => number;
  readonly tmp: number;
  /** Holds the bits of 1.0 in both lanes (set once, outside the loop). */
  readonly one: number;
  readonly locals: ValType[];
}

function layout(params: number): Layout {
  const first = params;
  const accAt = first + 4 * LANE_VECTORS;
  const tmp = accAt + LANE_VECTORS;
  return {
    word: (v, w) => first + 4 * v + w,
    acc: (v) => accAt + v,
    tmp,
    one: tmp + 1,
    locals: new Array<ValType>(tmp + 2 - params).fill(V128),
  };
}

/** Loads every lane's state from memory into locals, or stores it back. */
function moveState(l: Layout, store: boolean): number[] {
  const code: number[] = [];
  for (let v = 0; v < LANE_VECTORS; v++)
    for (let w = 0; w < 4; w++) {
      const at = STATE_AT + (4 * v + w) * 16;
      if (store) code.push(...op.get(P_STATE), ...op.get(l.word(v, w)), ...op.v128Store(at));
      else code.push(...op.get(P_STATE), ...op.v128Load(at), ...op.set(l.word(v, w)));
    }
  return code;
}

/** Pushes vector `v`'s 52-bit outputs, (s0 + s3) >>> 12. */
function top52(l: Layout, v: number): number[] {
  return [
    ...op.get(l.word(v, 0)),
    ...op.get(l.word(v, 3)),
    ...op.i64x2Add,
    ...op.i32Const(12),
    ...op.i64x2ShrU,
  ];
}

/** Pushes vector `v`'s doubles in [0, 1): the 52 bits under the exponent of 1.0, minus 1. */
function doubles(l: Layout, v: number): number[] {
  return [...top52(l, v), ...op.get(l.one), ...op.v128Or, ...op.get(l.one), ...op.f64x2Sub];
}

/** xoshiro256's state transition for vector `v`. */
function advance(l: Layout, v: number): number[] {
  const [s0, s1, s2, s3] = [0, 1, 2, 3].map((w) => l.word(v, w)) as [
    number,
    number,
    number,
    number,
  ];
  const xorInto = (a: number, b: number) => [
    ...op.get(a),
    ...op.get(b),
    ...op.v128Xor,
    ...op.set(a),
  ];
  return [
    ...op.get(s1),
    ...op.i32Const(17),
    ...op.i64x2Shl,
    ...op.set(l.tmp),
    ...xorInto(s2, s0),
    ...xorInto(s3, s1),
    ...xorInto(s1, s2),
    ...xorInto(s0, s3),
    ...xorInto(s2, l.tmp),
    ...rotl(s3, 45),
    ...op.set(s3),
  ];
}

/** Pushes local `x` rotated left by `k` bits in each 64-bit lane (SIMD has no rotate). */
function rotl(x: number, k: number): number[] {
  const shifted = (by: number, shift: readonly number[]) => [
    ...op.get(x),
    ...op.i32Const(by),
    ...shift,
  ];
  return [...shifted(k, op.i64x2Shl), ...shifted(64 - k, op.i64x2ShrU), ...op.v128Or];
}

/** `while (steps) { body; steps-- }` */
function countedLoop(body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(P_STEPS),
    ...op.i32Eqz,
    ...op.brIf(1),
    ...body,
    ...op.get(P_STEPS),
    ...op.i32Const(1),
    ...op.i32Sub,
    ...op.set(P_STEPS),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/**
 * sum(state, steps) -> f64: the sum of the next steps * GROUP outputs' top 52 bits, that
 * is 2^52 times the sum of their doubles. The integers add exactly (each lane stays below
 * 2^64 for up to MAX_SUM_STEPS steps), which is both cheaper than adding doubles and exact.
 */
function sumFunction(): WasmFunction {
  const l = layout(2);
  const body: number[] = [];
  for (let v = 0; v < LANE_VECTORS; v++)
    body.push(
      ...op.get(l.acc(v)),
      ...top52(l, v),
      ...op.i64x2Add,
      ...op.set(l.acc(v)),
      ...advance(l, v),
    );
  const total: number[] = [];
  for (let v = 0; v < LANE_VECTORS; v++)
    for (const lane of [0, 1]) {
      total.push(...op.get(l.acc(v)), ...op.i64x2ExtractLane(lane), ...op.f64ConvertI64U);
      if (v > 0 || lane > 0) total.push(...op.f64Add);
    }
  return {
    name: 'sum',
    params: [I32, I32],
    results: [F64],
    locals: l.locals,
    body: [...moveState(l, false), ...countedLoop(body), ...moveState(l, true), ...total],
  };
}

/** fill(state, steps, out): stores the next steps * GROUP doubles at `out`. */
function fillFunction(): WasmFunction {
  const l = layout(3);
  const setOne = [...i64x2Splat(ONE_BITS), ...op.set(l.one)];
  const body: number[] = [];
  for (let v = 0; v < LANE_VECTORS; v++)
    body.push(...op.get(P_OUT), ...doubles(l, v), ...op.v128Store(16 * v), ...advance(l, v));
  body.push(...op.get(P_OUT), ...op.i32Const(16 * LANE_VECTORS), ...op.i32Add, ...op.set(P_OUT));
  return {
    name: 'fill',
    params: [I32, I32, I32],
    results: [],
    locals: l.locals,
    body: [...setOne, ...moveState(l, false), ...countedLoop(body), ...moveState(l, true)],
  };
}

/** The compiled kernels and their memory, as this thread sees them. */
export interface RngKernels {
  readonly sum: (state: number, steps: number) => number;
  readonly fill: (state: number, steps: number, out: number) => void;
  /** The module's memory as bytes (state) and as doubles (`fill` output at OUT_AT). */
  readonly bytes: Uint8Array;
  readonly doubles: Float64Array;
}

/** The part of the WebAssembly JS API used here (@types/node 20 does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let kernels: RngKernels | undefined;

/**
 * This thread's instance of the kernels (compiled on first use: the module is ~1 KB).
 * @example rngKernels().sum(STATE_AT, 1000)
 */
export function rngKernels(): RngKernels {
  if (kernels) return kernels;
  const bytes = moduleBytes([sumFunction(), fillFunction()], 1);
  const instance = new wasm.Instance(new wasm.Module(bytes));
  const e = instance.exports as Pick<RngKernels, 'sum' | 'fill'> & {
    memory: { buffer: ArrayBuffer };
  };
  kernels = {
    sum: e.sum,
    fill: e.fill,
    bytes: new Uint8Array(e.memory.buffer),
    doubles: new Float64Array(e.memory.buffer, OUT_AT, TILE_CAPACITY),
  };
  return kernels;
}
