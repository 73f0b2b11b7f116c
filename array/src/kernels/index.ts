/**
 * @dusk/array/kernels: the functions array tasks name by module reference. Workers import
 * this module once and cache it. Every kernel takes and returns plain data (chunks
 * `{ dtype, shape, data }`, partial records, numbers), never closures.
 */
export { assembleBlock, copyRegion, gatherBlocks, type Piece } from './assemble.js';
export { bigBinaryBlock, bigReduceChunk, bigUnaryBlock } from './big.js';
export { asBlock, castBlock, reshapeBlock } from './blocks.js';
export * from './chunk.js';
export { type BlockProgram, type ExprTree, evalBlock, type LeafSpec } from './expr-eval.js';
export { BlockGenerator, type GenSpec, makeBlock } from './generate.js';
export { matmulBlocks } from './linalg.js';
export {
  type BlockPlace,
  combinePartials,
  finalizePartial,
  type Partial,
  type ReduceOp,
} from './partial.js';
export { pairwiseSum, reduceChunk, reduceProgram } from './reduce.js';
export { blockLength, maskBlock, sliceBlock, takeBlock } from './select.js';
export { fillDoubles, nextDouble, sumDoubles, type Xoshiro, xoshiro } from './xoshiro.js';
