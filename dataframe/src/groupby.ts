/**
 * groupby as apply-concat-apply: each partition reduces to per-group partial state in one
 * fused loop, partials combine in a tree (`splitEvery`), and a finish step builds the
 * result table, sorted by key unless `sort: false`. With many groups the partials are
 * hash-split into `splitOut` output partitions, each combined on its own.
 */
import {
  type Arg,
  DtypeError,
  InvalidArgumentError,
  type Key,
  type Layer,
  layer,
  moduleFn,
  type Node,
  ref,
  tokenize,
} from '@dusk/core';
import { type Dtype, isNumeric } from './dtypes.js';
import { checkColumn } from './errors.js';
import { col, type Expr } from './expr.js';
import { DataFrame } from './frame.js';
import type { GroupSpec } from './kernels/groupby.js';
import { aggDtype, type FinishGroupsSpec } from './kernels/groupby-finish.js';
import type { AggSpec } from './kernels/spec.js';
import { kernel, lowerInputs } from './lower.js';
import { optimizePlan, type Plan } from './plan.js';
import { Series } from './series.js';
import { checkSplitEvery, treeReduce } from './tree.js';

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

/** Partitions per output partition when splitOut is chosen automatically for number keys. */
export const AUTO_SPLIT_OUT_PARTITIONS = 32;

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

/** Chooses the number of output partitions. */
export function chooseSplitOut(
  frame: DataFrame,
  keys: readonly string[],
  opt: GroupByOptions['splitOut'],
): number {
  if (typeof opt === 'number') {
    if (!Number.isInteger(opt) || opt < 1)
      throw new InvalidArgumentError(`splitOut must be a positive integer or 'auto', got ${opt}.`);
    return opt;
  }
  // String and bool keys are dictionary codes: their groups are few. Number keys may make
  // a group per row, so many partitions spread the combine over several outputs.
  const numberKeys = keys.some((k) => isNumeric(frame.dtypes[k]!));
  return numberKeys ? Math.max(1, Math.ceil(frame.npartitions / AUTO_SPLIT_OUT_PARTITIONS)) : 1;
}

/** Builds the grouped result frame for named aggregations. */
export function groupAggregate(
  frame: DataFrame,
  keys: readonly string[],
  aggs: readonly AggSpec[],
  opts: GroupByOptions = {},
): DataFrame {
  const names = [...keys, ...aggs.map((a) => a.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined)
    throw new InvalidArgumentError(
      `groupby: the output column '${dup}' would appear twice (outputs: ${names.join(', ')}). Name the outputs: agg({ column: { out_name: 'fn' } }).`,
    );
  const outputs = [
    ...keys.map((k, i) => ({ name: `k${i}`, expr: col(k), dtype: frame.dtypes[k]! })),
    ...aggs.map((a, j) => ({ name: `a${j}`, expr: a.expr ?? col(keys[0]!), dtype: a.dtype })),
  ];
  const n = optimizePlan(frame.project(outputs, 'GroupBy').plan);
  const spec: GroupSpec = {
    filter: n.pipeline.filter,
    keys: keys.map((_, i) => n.pipeline.outputs[i]!.expr),
    aggs: aggs.map((a, j) => ({
      ...a,
      expr: a.expr ? n.pipeline.outputs[keys.length + j]!.expr : null,
      ddof: a.ddof ?? opts.ddof ?? 1,
    })),
  };
  const finish: FinishGroupsSpec = {
    keyNames: keys,
    keyDtypes: keys.map((k) => frame.dtypes[k]!),
    aggs: spec.aggs,
    sort: opts.sort ?? true,
  };
  const splitOut = chooseSplitOut(frame, keys, opts.splitOut);
  const inputs = lowerInputs(n);
  const name = `groupby-${tokenize(inputs.token, spec, finish, splitOut, opts.splitEvery ?? null)}`;
  const partials: Node[] = inputs.args.map((a, i) => ({
    fn: kernel('groupPart'),
    args: [a, { quote: spec }, i],
  }));
  const { keys: outKeys, layer: top } =
    splitOut === 1
      ? oneOutput(name, partials, spec, finish, opts, inputs.layers)
      : splitOutputs(name, partials, spec, finish, splitOut, opts, inputs.layers);
  const schema = [
    ...keys.map((k) => ({ name: k, dtype: frame.dtypes[k]! })),
    ...aggs.map((a) => ({ name: a.name, dtype: aggDtype(a.fn, a.dtype) })),
  ];
  const source = {
    prune: (cols: readonly string[]) =>
      groupAggregate(
        frame,
        keys,
        aggs.filter((a) => cols.includes(a.name)),
        opts,
      ).plan as Extract<Plan, { kind: 'source' }>,
    type: 'graph' as const,
    name,
    layer: top,
    keys: outKeys,
    label: `groupby(${keys.join(', ')})`,
    passes: inputs.passes,
  };
  return new DataFrame(
    { kind: 'source', source, schema, lengths: null },
    { index: keys, sortOnCompute: splitOut > 1 && finish.sort === true ? keys : [] },
  );
}

function oneOutput(
  name: string,
  partials: Node[],
  spec: GroupSpec,
  finish: FinishGroupsSpec,
  opts: GroupByOptions,
  deps: readonly Layer[],
) {
  const tree = treeReduce({
    name,
    partials,
    combine: 'groupCombine',
    combineArgs: [{ quote: spec.aggs }],
    finish: 'groupFinish',
    finishArgs: [{ quote: finish }],
    splitEvery: opts.splitEvery,
    dependencies: deps,
  });
  return { keys: [tree.key], layer: tree.layer };
}

function splitOutputs(
  name: string,
  partials: Node[],
  spec: GroupSpec,
  finish: FinishGroupsSpec,
  parts: number,
  opts: GroupByOptions,
  deps: readonly Layer[],
) {
  const every = checkSplitEvery(opts.splitEvery);
  const tasks = new Map<Key, Node>();
  const split = partials.map((p, i) => {
    const k = `${name}-split:${i}`;
    tasks.set(k, { fn: kernel('groupSplit'), args: [p as Arg, parts] });
    return k;
  });
  const outKeys: Key[] = [];
  for (let j = 0; j < parts; j++) {
    const sub = treeReduce({
      name: `${name}-out-${j}`,
      partials: split.map((k) => ({
        fn: moduleFn('@dusk/core/kernels', 'getItem'),
        args: [ref(k), j],
      })),
      combine: 'groupCombine',
      combineArgs: [{ quote: spec.aggs }],
      finish: 'groupFinish',
      finishArgs: [{ quote: finish }],
      splitEvery: every,
      dependencies: [],
    });
    for (const [k, v] of sub.layer.tasks) tasks.set(k, v);
    outKeys.push(sub.key);
  }
  return { keys: outKeys, layer: layer(name, tasks, deps) };
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
export type { Expr };
