/**
 * Reading the leaves of a fused expression tile by tile. A leaf laid out like the output
 * is read in place (or generated tile by tile); a transposed or broadcast leaf is first
 * rearranged once into output order (cache-blocked for 2-d), in a scratch buffer that is
 * reused from task to task on the same thread: fresh memory is slow to touch here, warm
 * memory is not.
 */
import { type Chunk, sizeOf } from './chunk.js';
import { BlockGenerator, type GenSpec } from './generate.js';

/** Values `[start, start + len)` of a leaf in output order; valid until the next call. */
export type Reader = (start: number, len: number) => Float64Array;

/**
 * How a leaf gets its values for one block: input block `k` or a generated block, read
 * with `strides` (one per output axis, 0 where broadcast); `source` is the shape of a
 * generated block when it is not laid out like the output.
 */
export type LeafSpec =
  | { readonly k: number; readonly strides: readonly number[]; readonly contiguous: boolean }
  | {
      readonly gen: GenSpec;
      readonly strides: readonly number[];
      readonly contiguous: boolean;
      readonly source: readonly number[];
    };

const scratch: Float64Array[] = [];

/**
 * Scratch buffers up to this size are kept for the next task (blocks of 1000 x 1000 float64
 * are 8 MB); larger ones are left to the garbage collector so a worker does not hold
 * hundreds of MB after one huge block.
 */
const KEEP_SCRATCH_ELEMENTS = (32 * 2 ** 20) / 8;

/** Scratch buffer `slot` with at least `n` elements (ordinary memory: it never leaves the thread). */
function scratchBuffer(slot: number, n: number): Float64Array {
  if (n > KEEP_SCRATCH_ELEMENTS) return new Float64Array(n);
  let b = scratch[slot];
  if (!b || b.length < n) {
    b = new Float64Array(n);
    scratch[slot] = b;
  }
  return b.subarray(0, n);
}

/** Hands out scratch slots to the leaves of one evaluator. */
export class ScratchSlots {
  private next = 0;
  take(n: number): Float64Array {
    return scratchBuffer(this.next++, n);
  }
}

/**
 * A direct tile-sum for a leaf that is a generated block laid out like the output and
 * summable without storing (see BlockGenerator.sum), or undefined.
 */
export function leafSummer(leaf: LeafSpec): ((len: number) => number) | undefined {
  if (!('gen' in leaf) || !leaf.contiguous) return undefined;
  const g = new BlockGenerator(leaf.gen);
  return g.summable ? (len) => g.sum(len) : undefined;
}

/** The reader of one leaf over a block of `shape`, with tiles of at most `tile` elements. */
export function leafReader(
  leaf: LeafSpec,
  inputs: readonly Chunk[],
  shape: readonly number[],
  tile: number,
  slots: ScratchSlots,
): Reader {
  if ('gen' in leaf && leaf.contiguous) {
    const buf = new Float64Array(tile);
    const g = new BlockGenerator(leaf.gen);
    return (_start, len) => {
      g.fill(buf, len);
      return buf;
    };
  }
  let src: Float64Array;
  if ('gen' in leaf) {
    src = slots.take(sizeOf(leaf.source));
    new BlockGenerator(leaf.gen).fill(src, src.length);
  } else {
    const data = inputs[leaf.k]!.data;
    if (leaf.contiguous) return contiguousReader(data, tile);
    src = data instanceof Float64Array ? data : toFloat64(data, slots);
  }
  const dst = slots.take(sizeOf(shape));
  rearrange(src, leaf.strides, shape, dst);
  return (start, len) => dst.subarray(start, start + len);
}

function toFloat64(data: Chunk['data'], slots: ScratchSlots): Float64Array {
  const out = slots.take(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
  } else out.set(data as Float32Array);
  return out;
}

function contiguousReader(data: Chunk['data'], tile: number): Reader {
  if (data instanceof Float64Array) return (start, len) => data.subarray(start, start + len);
  const buf = new Float64Array(tile);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    return (start, len) => {
      for (let i = 0; i < len; i++) buf[i] = Number(data[start + i]!);
      return buf;
    };
  }
  const d = data as Float32Array;
  return (start, len) => {
    buf.set(d.subarray(start, start + len));
    return buf;
  };
}

/** Cache-blocking edge for 2-d rearrangement: a 32 x 32 float64 tile is 8 KB. */
const EDGE = 32;

/** `dst` (C order over `shape`) = `src` read through `strides`. */
export function rearrange(
  src: Float64Array,
  strides: readonly number[],
  shape: readonly number[],
  dst: Float64Array,
) {
  if (shape.length === 2) {
    const [r, c] = shape as [number, number];
    const [s0, s1] = strides as [number, number];
    for (let i0 = 0; i0 < r; i0 += EDGE) {
      const i1 = Math.min(r, i0 + EDGE);
      for (let j0 = 0; j0 < c; j0 += EDGE) {
        const j1 = Math.min(c, j0 + EDGE);
        for (let i = i0; i < i1; i++) {
          const o = i * c;
          const s = i * s0;
          for (let j = j0; j < j1; j++) dst[o + j] = src[s + j * s1]!;
        }
      }
    }
    return;
  }
  gather(src, strides, shape, 0, dst.length, dst);
}

/** Reads `len` elements of a strided view, starting at flat output index `start`. */
function gather(
  data: Float64Array,
  strides: readonly number[],
  shape: readonly number[],
  start: number,
  len: number,
  out: Float64Array,
) {
  const nd = shape.length;
  if (nd === 0) {
    if (len > 0) out[0] = data[0]!;
    return;
  }
  const idx = new Array<number>(nd);
  let rest = start;
  let off = 0;
  for (let d = nd - 1; d >= 0; d--) {
    idx[d] = rest % shape[d]!;
    rest = Math.floor(rest / shape[d]!);
    off += idx[d]! * strides[d]!;
  }
  const last = nd - 1;
  const sLast = strides[last]!;
  const nLast = shape[last]!;
  let i = 0;
  while (i < len) {
    const run = Math.min(nLast - idx[last]!, len - i);
    for (let j = 0; j < run; j++) out[i + j] = data[off + j * sLast]!;
    i += run;
    off += run * sLast;
    idx[last] = idx[last]! + run;
    // Carry into the outer axes.
    for (let d = last; d > 0 && idx[d] === shape[d]; d--) {
      off -= idx[d]! * strides[d]!;
      idx[d] = 0;
      idx[d - 1] = idx[d - 1]! + 1;
      off += strides[d - 1]!;
    }
  }
}
