/**
 * Chunk grids: normalizing what a user writes for `chunks` (a number, per-axis sizes,
 * explicit tuples, -1 or null for a whole axis, 'auto') into one tuple of block sizes
 * per axis, and the small index arithmetic every graph builder needs.
 */
import { InvalidArgumentError } from '@dusk/core';
import { type Dtype, itemsize } from './dtype.js';

/** Block sizes per axis: `chunks[axis][i]` elements in block i. NaN when unknown. */
export type Chunks = readonly (readonly number[])[];

/** What a user may pass as `chunks`. */
export type ChunksSpec = number | 'auto' | readonly (number | 'auto' | null | readonly number[])[];

/** 'auto' aims at this many bytes per chunk, as Dask's `array.chunk-size` default. */
export const AUTO_CHUNK_BYTES = 128 * 2 ** 20;

/**
 * Turns a chunks spec into explicit block sizes.
 * @example normalizeChunks(4, [10]) // [[4, 4, 2]]
 * @example normalizeChunks([[2, 3], -1], [5, 4]) // [[2, 3], [4]]
 */
export function normalizeChunks(
  spec: ChunksSpec,
  shape: readonly number[],
  dtype: Dtype = 'float64',
  limitBytes = AUTO_CHUNK_BYTES,
): number[][] {
  // A flat list of sizes for a 1-d array is that axis's tuple: fromArray(v, { chunks: [2, 3] }).
  if (
    shape.length === 1 &&
    Array.isArray(spec) &&
    spec.length > 1 &&
    spec.every((c) => typeof c === 'number')
  ) {
    spec = [spec as number[]];
  }
  const perAxis: (number | 'auto' | null | readonly number[])[] =
    typeof spec === 'number' || spec === 'auto' ? shape.map(() => spec) : [...spec];
  if (perAxis.length !== shape.length) {
    throw new InvalidArgumentError(
      `chunks has ${perAxis.length} entries for an array of ${shape.length} dimensions (shape (${shape.join(', ')})). Give one entry per axis.`,
    );
  }
  const sizes = perAxis.map((c, axis) => (c === 'auto' ? 0 : fixedSize(c, shape[axis]!, axis)));
  const autoAxes = perAxis.flatMap((c, axis) => (c === 'auto' ? [axis] : []));
  if (autoAxes.length > 0) fillAuto(sizes, autoAxes, shape, dtype, limitBytes);
  return perAxis.map((c, axis) =>
    Array.isArray(c) ? [...(c as number[])] : blocksOf(shape[axis]!, sizes[axis]!),
  );
}

function fixedSize(c: number | null | readonly number[], dim: number, axis: number): number {
  if (Array.isArray(c)) {
    const tuple = c as readonly number[];
    const total = tuple.reduce((a, b) => a + b, 0);
    if (tuple.some((x) => !Number.isInteger(x) || x < 0) || total !== dim) {
      throw new InvalidArgumentError(
        `chunks for axis ${axis} are (${tuple.join(', ')}), which sum to ${total}; they must be non-negative integers summing to the axis length ${dim}.`,
      );
    }
    return Math.max(0, ...tuple);
  }
  if (c === null || c === -1) return Math.max(dim, 1);
  if (typeof c !== 'number' || !Number.isInteger(c) || c <= 0) {
    throw new InvalidArgumentError(
      `chunks for axis ${axis} is ${String(c)}; use a positive integer, -1 or null (whole axis), 'auto', or a tuple of sizes.`,
    );
  }
  return c;
}

/** Fills auto axes so a chunk holds about `limitBytes`, spread evenly over those axes. */
function fillAuto(
  sizes: number[],
  autoAxes: number[],
  shape: readonly number[],
  dtype: Dtype,
  limitBytes: number,
) {
  let budget = limitBytes / itemsize(dtype);
  for (let a = 0; a < shape.length; a++)
    if (!autoAxes.includes(a)) budget /= Math.max(1, sizes[a]!);
  // Axes shorter than an even share are taken whole; the rest share what is left equally.
  let rest = [...autoAxes];
  for (;;) {
    const target = budget ** (1 / Math.max(1, rest.length));
    const whole = rest.filter((a) => Math.max(1, shape[a]!) <= target);
    if (whole.length === 0) {
      const size = Math.max(1, Math.floor(target));
      for (const a of rest) sizes[a] = Math.ceil(shape[a]! / Math.ceil(shape[a]! / size));
      return;
    }
    for (const a of whole) {
      sizes[a] = Math.max(1, shape[a]!);
      budget /= sizes[a]!;
    }
    rest = rest.filter((a) => !whole.includes(a));
  }
}

/** `dim` split into blocks of `size` (the last one shorter). @example blocksOf(10, 4) // [4, 4, 2] */
export function blocksOf(dim: number, size: number): number[] {
  if (dim === 0) return [0];
  const out: number[] = [];
  for (let s = 0; s < dim; s += size) out.push(Math.min(size, dim - s));
  return out;
}

/** Number of blocks along each axis. @example numblocksOf([[4, 4, 2], [3]]) // [3, 1] */
export function numblocksOf(chunks: Chunks): number[] {
  return chunks.map((c) => c.length);
}

/** Start offset of every block along an axis (and the total at the end). @example offsetsOf([4, 4, 2]) // [0, 4, 8, 10] */
export function offsetsOf(sizes: readonly number[]): number[] {
  const out = [0];
  for (let i = 0; i < sizes.length; i++) out.push(out[i]! + sizes[i]!);
  return out;
}

/** Every block index of a grid, in C order. */
export function blockIndices(numblocks: readonly number[]): number[][] {
  const out: number[][] = [];
  const total = numblocks.reduce((a, b) => a * b, 1);
  for (let f = 0; f < total; f++) out.push(unravel(f, numblocks));
  return out;
}

/** The multi-index of flat position `f` in a C-order grid. */
export function unravel(f: number, dims: readonly number[]): number[] {
  const idx = new Array<number>(dims.length);
  for (let d = dims.length - 1; d >= 0; d--) {
    idx[d] = f % dims[d]!;
    f = Math.floor(f / dims[d]!);
  }
  return idx;
}

/** The flat C-order position of a multi-index. */
export function ravel(idx: readonly number[], dims: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < dims.length; d++) f = f * dims[d]! + idx[d]!;
  return f;
}

/** The shape of one block. */
export function blockShapeOf(chunks: Chunks, idx: readonly number[]): number[] {
  return idx.map((i, d) => chunks[d]![i]!);
}

/** Whether two chunk grids are equal (unknown sizes compare equal to each other). */
export function sameChunks(a: Chunks, b: Chunks): boolean {
  return (
    a.length === b.length &&
    a.every((c, d) => c.length === b[d]!.length && c.every((x, i) => Object.is(x, b[d]![i])))
  );
}

/** Whether any block size is unknown. */
export function hasUnknown(chunks: Chunks): boolean {
  return chunks.some((c) => c.some((x) => Number.isNaN(x)));
}
