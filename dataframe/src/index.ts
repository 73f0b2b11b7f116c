/**
 * @dusk/dataframe: lazy partitioned dataframes over Apache Arrow, in the spirit of
 * dask.dataframe. Build a frame (fromColumns, fromArrow, fromRecords, fromDanfo,
 * fromDelayed, fromArrays), transform it with column expressions, filter, reduce, group
 * and rank it, and `await x.compute()` for an in-memory table or a number.
 */
export {
  boundaries,
  fromArrow,
  fromColumns,
  fromDanfo,
  fromRecords,
  type PartitionOptions,
} from './construct.js';
export { DTYPES, type Dtype, type Field, type Schema } from './dtypes.js';
export { MetaMismatchError, MetaRequiredError } from './errors.js';
export { col, type Expr, lit, type Scalar } from './expr.js';
export { type ColumnLike, DataFrame } from './frame.js';
export {
  type ChunkedArrayLike,
  type FromArraysOptions,
  fromArray,
  fromArrays,
  fromDelayed,
} from './from-lazy.js';
export {
  AGG_NAMES,
  type AggArg,
  type AggName,
  GroupBy,
  type GroupByOptions,
  SeriesGroupBy,
} from './groupby.js';
export type { HeadOptions } from './head-tail.js';
export { Lazy } from './lazy.js';
export type { MapPartitionsOptions } from './map-partitions.js';
export type { MetaArg } from './meta.js';
export type { ReduceOptions } from './reductions.js';
export { LocalTable } from './result.js';
export { type Operand, Series, StringMethods } from './series.js';
