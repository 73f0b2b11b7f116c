/**
 * map_blocks: a user function applied to every block (and the matching blocks of other
 * arrays with the same block grid). The function is shipped by reference (a pure lambda
 * as source, or an export declared with `tasks(import.meta.url, ...)`), never as a closure.
 */
import {
  type AnyFn,
  type Arg,
  type Graph,
  InvalidArgumentError,
  layer,
  ref,
  task,
  toFnRef,
  tokenize,
} from '@dusk/core';
import { DuskArray } from './array.js';
import {
  blockIndices,
  blockShapeOf,
  type ChunksSpec,
  hasUnknown,
  normalizeChunks,
  sameChunks,
} from './chunks.js';
import { checkDtype, type Dtype } from './dtype.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import { rechunk } from './rechunk.js';

export interface MapBlocksOptions {
  /** dtype of the blocks the function returns (required: Dusk does not guess). */
  dtype: Dtype;
  /** Output chunks when the function changes block shapes (same block grid). */
  chunks?: ChunksSpec;
  /** Prefix of the result's name. */
  name?: string;
}

/** Rechunks arrays of the first one's shape onto its grid; other shapes must share its block grid. */
function align(arrays: readonly DuskArray[], where: string): DuskArray[] {
  const first = arrays[0]!;
  return arrays.map((a) => {
    if (sameChunks(a.chunks, first.chunks)) return a;
    if (
      a.ndim === first.ndim &&
      a.shape.every((s, i) => s === first.shape[i]) &&
      !hasUnknown(a.chunks)
    ) {
      return rechunk(a, first.chunks);
    }
    if (a.numblocks.join() === first.numblocks.join()) return a;
    throw new InvalidArgumentError(
      `${where}: arrays have block grids (${a.numblocks.join(', ')}) and (${first.numblocks.join(', ')}); give them the same number of blocks per axis (rechunk).`,
    );
  });
}

/**
 * Applies `fn(chunk, ...otherChunks)` to each block; `fn` returns a typed array (same
 * shape), or a chunk `{ dtype, shape, data }`.
 * @example mapBlocks((c) => c.data.map((v) => v * 2), [x], { dtype: 'float64' })
 */
export function mapBlocks(
  fn: AnyFn,
  arrays: readonly DuskArray[],
  opts: MapBlocksOptions,
): DuskArray {
  const dtype = checkDtype(opts?.dtype, 'mapBlocks');
  const fnRef = toFnRef(fn);
  const inputs = align(arrays, 'mapBlocks');
  const first = inputs[0]!;
  const chunks =
    opts.chunks === undefined
      ? first.chunks
      : normalizeChunks(opts.chunks, shapeOfSpec(opts.chunks, first), dtype);
  if (chunks.length !== first.ndim || chunks.some((c, d) => c.length !== first.numblocks[d])) {
    throw new InvalidArgumentError(
      'mapBlocks: chunks must keep the number of blocks along every axis.',
    );
  }
  const name = `${opts.name ?? 'map-blocks'}-${tokenize(
    fnRef,
    dtype,
    chunks,
    inputs.map((a) => a.name),
  )}`;
  const build = () => {
    const tasks: Graph = new Map();
    for (const idx of blockIndices(first.numblocks)) {
      const key = blockKeyOf(name, idx);
      const call = task(
        fnRef,
        inputs.map((a) => ref(a.blockKey(...idx))),
      );
      const shape = hasUnknown(chunks) ? null : blockShapeOf(chunks, idx);
      tasks.set(key, task(kernel('asBlock'), [call, dtype, shape as Arg, key]));
    }
    return layer(
      name,
      tasks,
      inputs.map((a) => a.layer),
    );
  };
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  return new DuskArray(name, shape, chunks, dtype, build);
}

function shapeOfSpec(spec: ChunksSpec, x: DuskArray): number[] {
  if (Array.isArray(spec) && spec.every((c) => Array.isArray(c)))
    return spec.map((c) => (c as number[]).reduce((a, b) => a + b, 0));
  return [...x.shape];
}

/**
 * Internal: applies an array kernel blockwise, `kernel(block, ...extra)`.
 * @example mapBlocksWith('castBlock', [x], { dtype: 'int64', name: 'astype', extra: ['int64'] })
 */
export function mapBlocksWith(
  kernelName: string,
  arrays: readonly DuskArray[],
  opts: { dtype: Dtype; name: string; extra?: readonly Arg[] },
): DuskArray {
  const inputs = align(arrays, opts.name);
  const first = inputs[0]!;
  const name = `${opts.name}-${tokenize(
    kernelName,
    opts.extra ?? null,
    opts.dtype,
    inputs.map((a) => a.name),
  )}`;
  const build = () => {
    const tasks: Graph = new Map();
    for (const idx of blockIndices(first.numblocks)) {
      const args: Arg[] = [...inputs.map((a) => ref(a.blockKey(...idx))), ...(opts.extra ?? [])];
      tasks.set(blockKeyOf(name, idx), task(kernel(kernelName), args));
    }
    return layer(
      name,
      tasks,
      inputs.map((a) => a.layer),
    );
  };
  return new DuskArray(name, first.shape, first.chunks, opts.dtype, build);
}
