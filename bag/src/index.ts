/**
 * @dusk/bag: lazy, partitioned collections of plain values (text lines, JSON records,
 * tuples) in the style of Dask's `dask.bag`, for MapReduce-style work: build with
 * fromSequence, range, readText or fromDelayed; transform; reduce in a tree; compute.
 */
export { Bag, type BagOrigin, type ReduceOptions } from './bag.js';
export { KeyNotFoundError } from './errors.js';
export { fromDelayed } from './from-delayed.js';
export { fromSequence, type PartitionOptions, range } from './from-sequence.js';
export { DEFAULT_BLOCKSIZE, type ReadTextOptions, readText } from './read-text.js';
export { StringMethods } from './string-methods.js';
export { type FrameMeta, metaColumns } from './to-dataframe.js';
export { outputPaths, type ToTextFilesOptions } from './to-text-files.js';
