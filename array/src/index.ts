/**
 * @dusk/array: chunked n-d arrays over typed arrays, like `dask.array`. Build lazily,
 * compute on any scheduler:
 *
 * ```ts
 * import * as da from '@dusk/array';
 * const x = da.random.random([10_000, 10_000], { chunks: 1000, seed: 1 });
 * await x.add(x.T).mean().compute(); // ~1.0
 * ```
 *
 * Other packages build on arrays through `x.layer` (the tasks that make the blocks,
 * a layer dependency for their own tasks), `x.blockKey(i, ...)` / `x.keys` (block keys in
 * C order) and `x.toDelayed()`; a block computes to `{ dtype, shape, data }` (C order).
 */
export { type ArrayDef, type ArrayResult, DuskArray, isDuskArray, type Leaf } from './array.js';
export {
  AUTO_CHUNK_BYTES,
  blocksOf,
  type Chunks,
  type ChunksSpec,
  normalizeChunks,
  numblocksOf,
  offsetsOf,
} from './chunks.js';
export { concatenate, expandDims, squeeze, stack } from './concat.js';
export {
  arange,
  type CreateOptions,
  full,
  linspace,
  ones,
  type ShapeArg,
  zeros,
} from './creation.js';
export { DTYPES, type Dtype, itemsize, promoteTypes } from './dtype.js';
export { astype, binaryOp, clip, normalizeAxis, transpose, unaryOp, where } from './elementwise.js';
export { AxisError, UnknownChunksError } from './errors.js';
export { broadcastShapes, type Operand } from './expr.js';
export { type FromArrayOptions, fromArray, fromDelayed } from './from.js';
export { booleanMask, computeChunkSizes, take } from './indexing.js';
export type { Chunk } from './kernels/chunk.js';
export { dot, dot as matmul } from './linalg.js';
export { type MapBlocksOptions, mapBlocks } from './map-blocks.js';
export { NdArray, type Scalar } from './nd-array.js';
export type { RandomOptions } from './random.js';
export * as random from './random.js';
export { rechunk } from './rechunk.js';
export { type AxisArg, type ReduceOptions, reduce } from './reductions.js';
export { type Index, normalizeIndex, slice } from './slicing.js';
export * from './ufuncs.js';
