/**
 * groupby's user API: `df.groupby(keys)` with per-function methods, named aggregations
 * (`agg`), and one column of each group (`SeriesGroupBy`). The graph is built by
 * group-aggregate.ts.
 */
import { DtypeError, InvalidArgumentError } from '@dusk/core';
import { type Dtype, isNumeric } from './dtypes.js';
import { checkColumn } from './errors.js';
import { col, type Expr } from './expr.js';
import type { DataFrame } from './frame.js';
import { groupAggregate } from './group-aggregate.js';
import type { AggSpec } from './kernels/spec.js';
import { Series } from './series.js';

export type AggName = AggSpec['fn'];
export const AGG_NAMES: readonly AggName[] = [
  'sum',
  'mean',
  'count',
  'min',
  'max',
  'std',
  'var',
  'first',
  'last',
  'size',
  'nunique',
];
const NUMERIC_AGGS = new Set<AggName>(['sum', 'mean', 'std', 'var']);

export interface GroupByOptions {
  /** Sort the result by key (default true); 'size-desc' sorts by group size, largest first. */
  sort?: boolean | 'size-desc';
  /** Output partitions: a number, or 'auto' (default) to choose from the key dtypes and partition count. */
  splitOut?: number | 'auto';
  splitEvery?: number;
  /** Delta degrees of freedom for std/var. */
  ddof?: number;
}

/** Per column: a function, a list of functions, or named outputs `{ out: fn }`. */
export type AggArg = Record<string, AggName | readonly AggName[] | Record<string, AggName>>;

function checkAgg(fn: string, column: string, dtype: Dtype): AggName {
  if (!(AGG_NAMES as readonly string[]).includes(fn))
    throw new InvalidArgumentError(
      `Unknown aggregation '${fn}' for column '${column}'. Known: ${AGG_NAMES.join(', ')}.`,
    );
  if (NUMERIC_AGGS.has(fn as AggName) && !isNumeric(dtype) && dtype !== 'bool')
    throw new DtypeError(
      `groupby ${fn} cannot take column '${column}' of dtype ${dtype}: it needs a number or bool column.`,
    );
  return fn as AggName;
}

/**
 * A grouped frame: `df.groupby('category')`.
 * @example await df.groupby('category').col('total_sales').sum().compute()
 */
export class GroupBy {
  constructor(
    readonly frame: DataFrame,
    readonly keys: readonly string[],
    readonly opts: GroupByOptions = {},
  ) {
    if (keys.length === 0) throw new InvalidArgumentError('groupby needs at least one key column.');
    for (const k of keys) checkColumn(k, frame.columns);
  }

  /** The non-key columns. */
  get valueColumns(): string[] {
    return this.frame.columns.filter((c) => !this.keys.includes(c));
  }

  /** One column of each group: `groupby('category').col('total_sales')`. */
  col(name: string): SeriesGroupBy {
    checkColumn(name, this.frame.columns);
    return new SeriesGroupBy(this, name);
  }

  /** Named aggregations. @example g.agg({ price: ['min', 'max'], units_sold: { units: 'sum' } }) */
  agg(spec: AggArg): DataFrame {
    const aggs: AggSpec[] = [];
    for (const [column, v] of Object.entries(spec)) {
      checkColumn(column, this.frame.columns);
      const dtype = this.frame.dtypes[column]!;
      const make = (fn: string, name: string): AggSpec => ({
        name,
        expr: col(column),
        dtype,
        fn: checkAgg(fn, column, dtype),
      });
      if (typeof v === 'string') aggs.push(make(v, column));
      else if (Array.isArray(v)) for (const fn of v) aggs.push(make(fn, `${column}_${fn}`));
      else
        for (const [out, fn] of Object.entries(v as Record<string, string>))
          aggs.push(make(fn, out));
    }
    return groupAggregate(this.frame, this.keys, aggs, this.opts);
  }

  private all(fn: AggName): DataFrame {
    const cols = this.valueColumns.filter(
      (c) =>
        !NUMERIC_AGGS.has(fn) ||
        isNumeric(this.frame.dtypes[c]!) ||
        this.frame.dtypes[c] === 'bool',
    );
    return this.agg(Object.fromEntries(cols.map((c) => [c, fn])));
  }

  sum(): DataFrame {
    return this.all('sum');
  }
  mean(): DataFrame {
    return this.all('mean');
  }
  count(): DataFrame {
    return this.all('count');
  }
  min(): DataFrame {
    return this.all('min');
  }
  max(): DataFrame {
    return this.all('max');
  }
  std(): DataFrame {
    return this.all('std');
  }
  var(): DataFrame {
    return this.all('var');
  }
  first(): DataFrame {
    return this.all('first');
  }
  last(): DataFrame {
    return this.all('last');
  }
  nunique(): DataFrame {
    return this.all('nunique');
  }

  /** Rows per group, as a series named 'size'. */
  size(): Series {
    const f = groupAggregate(
      this.frame,
      this.keys,
      [{ name: 'size', expr: null, dtype: 'int32', fn: 'size' }],
      this.opts,
    );
    return new Series(f, col('size'), 'size');
  }
}

/** One column of a grouped frame. */
export class SeriesGroupBy {
  constructor(
    readonly groupby: GroupBy,
    readonly column: string,
  ) {}

  private one(fn: AggName): Series {
    const f = this.groupby.agg({ [this.column]: fn });
    return new Series(f, col(this.column), this.column);
  }

  sum(): Series {
    return this.one('sum');
  }
  mean(): Series {
    return this.one('mean');
  }
  count(): Series {
    return this.one('count');
  }
  min(): Series {
    return this.one('min');
  }
  max(): Series {
    return this.one('max');
  }
  std(): Series {
    return this.one('std');
  }
  var(): Series {
    return this.one('var');
  }
  first(): Series {
    return this.one('first');
  }
  last(): Series {
    return this.one('last');
  }
  nunique(): Series {
    return this.one('nunique');
  }
  size(): Series {
    return this.groupby.size();
  }

  /** Several functions of this column, as a frame with one column per output name. */
  agg(fns: readonly AggName[] | Record<string, AggName>): DataFrame {
    return this.groupby.agg({ [this.column]: fns as any });
  }
}

/** An expression-valued key is not supported: keys are column names. */
export type GroupKey = string | readonly string[];

export { AUTO_SPLIT_OUT_PARTITIONS, chooseSplitOut, groupAggregate } from './group-aggregate.js';
export type { Expr };
