/**
 * Selection kernels: basic slices with steps (one input block per output block), integer
 * indexing along an axis, and boolean masks (whose output length is only known once run).
 */
import { type Chunk, cStrides, emptyChunk, sizeOf } from './chunk.js';

/**
 * Kernel: `chunk[start0::step0, start1::step1, ...]` with `shape` elements per axis;
 * axes listed in `drop` (integer indices) are removed from the result.
 * @example sliceBlock(chunk, [0, 3], [1, -1], [2, 3], [])
 */
export function sliceBlock(
  chunk: Chunk,
  starts: readonly number[],
  steps: readonly number[],
  counts: readonly number[],
  drop: readonly number[],
): Chunk {
  // NaN: a whole axis whose length was unknown when the graph was built.
  counts = counts.map((n, d) => (Number.isNaN(n) ? chunk.shape[d]! : n));
  const nd = counts.length;
  const outShape = counts.filter((_, d) => !drop.includes(d));
  const out = emptyChunk(chunk.dtype, outShape);
  const n = sizeOf(counts);
  if (n === 0) return out;
  const ss = cStrides(chunk.shape);
  const src = chunk.data as Float64Array;
  const dst = out.data as Float64Array;
  const last = nd - 1;
  const lastStep = nd === 0 ? 0 : steps[last]! * ss[last]!;
  const run = nd === 0 ? 1 : counts[last]!;
  const idx = new Array<number>(nd).fill(0);
  let o = 0;
  for (let r = 0; r < n / run; r++) {
    let off = 0;
    for (let d = 0; d < nd; d++) off += (starts[d]! + idx[d]! * steps[d]!) * ss[d]!;
    if (lastStep === 1) {
      dst.set(src.subarray(off, off + run), o);
      o += run;
    } else for (let j = 0; j < run; j++) dst[o++] = src[off + j * lastStep]!;
    for (let d = last - 1; d >= 0; d--) {
      idx[d] = idx[d]! + 1;
      if (idx[d]! < counts[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Kernel: takes positions `picks` ([input block number, index within it] pairs) along
 * `axis` from the given input blocks, in order.
 * @example takeBlock([b0, b1], 0, [[1, 0], [0, 2]])
 */
export function takeBlock(
  inputs: readonly Chunk[],
  axis: number,
  picks: readonly (readonly [number, number])[],
): Chunk {
  const first = inputs[0]!;
  const shape = [...first.shape];
  shape[axis] = picks.length;
  const out = emptyChunk(first.dtype, shape);
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const dst = out.data as Float64Array;
  for (let p = 0; p < picks.length; p++) {
    const [bi, li] = picks[p]!;
    const src = inputs[bi]!;
    const len = src.shape[axis]!;
    const s = src.data as Float64Array;
    for (let o = 0; o < outer; o++) {
      const from = (o * len + li) * inner;
      dst.set(s.subarray(from, from + inner), (o * picks.length + p) * inner);
    }
  }
  return out;
}

/**
 * Kernel: keeps the rows of a block where a mask over its first `k` axes is true; the
 * first `k` axes become one axis of unknown length.
 * @example maskBlock(chunk, mask, 2) // 1-d result for a 2-d chunk and a 2-d mask
 */
export function maskBlock(chunk: Chunk, mask: Chunk, k: number): Chunk {
  const m = mask.data as Uint8Array;
  const rows = sizeOf(chunk.shape.slice(0, k));
  const inner = sizeOf(chunk.shape.slice(k));
  let kept = 0;
  for (let i = 0; i < rows; i++) if (m[i] !== 0) kept++;
  const out = emptyChunk(chunk.dtype, [kept, ...chunk.shape.slice(k)]);
  const src = chunk.data as Float64Array;
  const dst = out.data as Float64Array;
  let o = 0;
  for (let i = 0; i < rows; i++) {
    if (m[i] === 0) continue;
    if (inner === 1) dst[o++] = src[i]!;
    else {
      dst.set(src.subarray(i * inner, (i + 1) * inner), o);
      o += inner;
    }
  }
  return out;
}

/** Kernel: the length of a block along `axis` (to learn unknown chunk sizes). */
export function blockLength(chunk: Chunk, axis: number): number {
  return chunk.shape[axis]!;
}
