/**
 * What a partition task is told to do, as plain data: the fused pipeline (an optional
 * filter, then output columns as expressions over the partition's columns) that the
 * logical plan lowers to, and the terminal steps that consume it.
 */
import type { Dtype } from '../dtypes.js';
import type { Expr } from '../expr.js';

export interface OutputSpec {
  readonly name: string;
  readonly expr: Expr;
  readonly dtype: Dtype;
}

/** Filter, then project: the whole row-local part of a plan over one partition. */
export interface PipelineSpec {
  readonly filter: Expr | null;
  readonly outputs: readonly OutputSpec[];
}

export type ReduceOp =
  | 'sum'
  | 'mean'
  | 'min'
  | 'max'
  | 'count'
  | 'std'
  | 'var'
  | 'size'
  | 'nunique';

/** One aggregation of a groupby: output name, input expression, function. */
export interface AggSpec {
  readonly name: string;
  readonly expr: Expr | null;
  readonly dtype: Dtype;
  readonly fn:
    | 'sum'
    | 'mean'
    | 'count'
    | 'min'
    | 'max'
    | 'std'
    | 'var'
    | 'first'
    | 'last'
    | 'size'
    | 'nunique';
  readonly ddof?: number;
}
