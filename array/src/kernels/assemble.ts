/**
 * Moving rectangular regions between blocks: the one copy loop behind rechunk,
 * concatenate, and gathering computed blocks into an in-memory result. Copies run along
 * the last axis with `TypedArray.set`, so a row is one native copy.
 */
import type { TypedArray } from '@dusk/core';
import { type Chunk, cStrides, DTYPE_CTORS, type Dtype, emptyChunk, sizeOf } from './chunk.js';

/** Copies the box `count` from `src` at `srcStart` into `dst` at `dstStart` (same dtype). */
export function copyRegion(
  src: TypedArray,
  srcShape: readonly number[],
  srcStart: readonly number[],
  dst: TypedArray,
  dstShape: readonly number[],
  dstStart: readonly number[],
  count: readonly number[],
): void {
  const nd = count.length;
  if (nd === 0) {
    (dst as Float64Array)[0] = (src as Float64Array)[0]!;
    return;
  }
  if (sizeOf(count) === 0) return;
  const ss = cStrides(srcShape);
  const ds = cStrides(dstShape);
  const last = nd - 1;
  const run = count[last]!;
  const idx = new Array<number>(nd).fill(0);
  const rows = sizeOf(count) / run;
  for (let r = 0; r < rows; r++) {
    let so = 0;
    let doff = 0;
    for (let d = 0; d < nd; d++) {
      so += (srcStart[d]! + idx[d]!) * ss[d]!;
      doff += (dstStart[d]! + idx[d]!) * ds[d]!;
    }
    (dst as Float64Array).set((src as Float64Array).subarray(so, so + run), doff);
    for (let d = last - 1; d >= 0; d--) {
      idx[d] = idx[d]! + 1;
      if (idx[d]! < count[d]!) break;
      idx[d] = 0;
    }
  }
}

/** One piece of an output block: a box of an input block and where it goes. */
export interface Piece {
  readonly srcStart: readonly number[];
  readonly dstStart: readonly number[];
  readonly count: readonly number[];
}

/**
 * Kernel: builds a block of `shape` from boxes of input blocks (rechunk, concatenate).
 * @example assembleBlock([a, b], [{ srcStart: [0], dstStart: [0], count: [2] }, ...], [4], 'float64')
 */
export function assembleBlock(
  inputs: readonly Chunk[],
  pieces: readonly Piece[],
  shape: readonly number[],
  dtype: Dtype,
): Chunk {
  if (inputs.length === 1 && sameShape(inputs[0]!.shape, shape) && isWhole(pieces[0]!, shape)) {
    return inputs[0]!;
  }
  const out = emptyChunk(dtype, shape);
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    const src = inputs[i]!;
    copyRegion(src.data, src.shape, p.srcStart, out.data, shape, p.dstStart, p.count);
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isWhole(p: Piece, shape: readonly number[]): boolean {
  return (
    p.srcStart.every((x) => x === 0) &&
    p.dstStart.every((x) => x === 0) &&
    sameShape(p.count, shape)
  );
}

/**
 * Gathers blocks laid out on a grid into one C-order typed array (ordinary memory: this is
 * what the user holds). Block sizes are read from the blocks, so unknown chunk sizes work.
 */
export function gatherBlocks(
  blocks: readonly Chunk[],
  grid: readonly number[],
  dtype: Dtype,
): { data: TypedArray; shape: number[] } {
  const nd = grid.length;
  const sizes: number[][] = grid.map((g) => new Array<number>(g).fill(0));
  const gs = cStrides(grid);
  for (let d = 0; d < nd; d++) {
    for (let i = 0; i < grid[d]!; i++) {
      const first = blocks[i * gs[d]!];
      sizes[d]![i] = first ? first.shape[d]! : 0;
    }
  }
  const shape = sizes.map((s) => s.reduce((x, y) => x + y, 0));
  const data = new DTYPE_CTORS[dtype](sizeOf(shape));
  const starts = sizes.map((s) => {
    const out = [0];
    for (let i = 0; i < s.length - 1; i++) out.push(out[i]! + s[i]!);
    return out;
  });
  for (let b = 0; b < blocks.length; b++) {
    let rest = b;
    const at = new Array<number>(nd);
    for (let d = nd - 1; d >= 0; d--) {
      at[d] = starts[d]![rest % grid[d]!]!;
      rest = Math.floor(rest / grid[d]!);
    }
    const blk = blocks[b]!;
    copyRegion(blk.data, blk.shape, new Array(nd).fill(0), data, shape, at, blk.shape);
  }
  return { data, shape };
}
