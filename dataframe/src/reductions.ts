/**
 * Reductions of series and frames as tree reductions: each partition reduces to a small
 * partial in one fused loop (filter + expression + accumulate), partials combine
 * `splitEvery` at a time, and one task finishes. Frame reductions reduce each column in
 * the same graph and gather the results as a series indexed by column name.
 */
import {
  DtypeError,
  type GraphPass,
  type Key,
  type Layer,
  layer,
  type Node,
  tokenize,
} from '@dusk/core';
import { isNumeric, type Schema } from './dtypes.js';
import { makeColumn, packValues, tableOf } from './kernels/arrow-build.js';
import type { ReduceSpec } from './kernels/reduce.js';
import type { ReduceOp } from './kernels/spec.js';
import { Lazy } from './lazy.js';
import { kernel, lowerInputs } from './lower.js';
import { optimizePlan } from './plan.js';
import { LocalTable } from './result.js';
import type { Series } from './series.js';
import { treeReduce } from './tree.js';

export interface ReduceOptions {
  /** Partials combined per tree step (default: config splitEvery). */
  splitEvery?: number;
  /** Delta degrees of freedom for std/var (default 1, like pandas). */
  ddof?: number;
}

const NUMERIC_ONLY = new Set<string>(['sum', 'mean', 'std', 'var']);

/** The graph of several reductions of one series: one key, its value a list (or a value for one op). */
export function reductionGraph(
  s: Series,
  ops: readonly ReduceOp[],
  opts: ReduceOptions = {},
): { key: Key; layer: Layer; passes: readonly GraphPass[] } {
  for (const op of ops) {
    if (NUMERIC_ONLY.has(op)) s.requireNumeric(op);
  }
  const n = optimizePlan(s.valueFrame('_value').plan);
  const expr = n.pipeline.outputs[0]!.expr;
  const strings = s.dtype === 'string';
  const spec: ReduceSpec = {
    filter: n.pipeline.filter,
    expr,
    need: {
      sum: ops.some((o) => o === 'sum' || o === 'mean'),
      min: ops.includes('min'),
      count: ops.some((o) => o === 'count' || o === 'mean'),
      max: ops.includes('max'),
      m2: ops.some((o) => o === 'std' || o === 'var'),
      counts: strings || ops.includes('nunique'),
    },
  };
  const inputs = lowerInputs(n);
  const ddof = opts.ddof ?? 1;
  const name = `${ops.join('-')}-${tokenize(inputs.token, spec, ops, ddof, opts.splitEvery ?? null)}`;
  const partials: Node[] = inputs.args.map((a, i) => ({
    fn: kernel('reducePart'),
    args: [a, { quote: spec }, i],
  }));
  const tree = treeReduce({
    name,
    partials,
    combine: 'reduceCombine',
    finish: 'reduceFinish',
    finishArgs: [{ quote: ops }, ddof],
    splitEvery: opts.splitEvery,
    dependencies: inputs.layers,
  });
  return { ...tree, passes: inputs.passes };
}

/** A lazy scalar reduction of a series. */
export function reduceSeries<T = number>(
  s: Series,
  op: ReduceOp,
  opts: ReduceOptions = {},
): Lazy<T> {
  const g = reductionGraph(s, [op], opts);
  return new Lazy<T>([g.key], g.layer, (v) => v[0] as T, g.passes);
}

/** Columns of a frame an operation can take (numbers and bools; strings too for counts and min/max). */
export function reducibleColumns(schema: Schema, op: string): string[] {
  return schema
    .filter((f) => (NUMERIC_ONLY.has(op) ? isNumeric(f.dtype) || f.dtype === 'bool' : true))
    .map((f) => f.name);
}

/** A frame reduction: one value per column, as a series indexed by column name. */
export function reduceFrame(
  frame: import('./frame.js').DataFrame,
  op: ReduceOp,
  opts: ReduceOptions = {},
): Lazy<LocalTable> {
  const cols = reducibleColumns(frame.schema, op);
  if (cols.length === 0)
    throw new DtypeError(
      `${op}: the frame has no column it can take (columns: ${frame.columns.join(', ')}).`,
    );
  const graphs = cols.map((c) => reductionGraph(frame.col(c), [op], opts));
  const top = layer(
    `${op}-frame-${tokenize(graphs.map((g) => g.key))}`,
    new Map(),
    graphs.map((g) => g.layer),
  );
  const isCount = op === 'count' || op === 'size' || op === 'nunique';
  return new Lazy(
    graphs.map((g) => g.key),
    top,
    (values) => {
      const strings = values.some((v) => typeof v === 'string');
      const t = tableOf(
        ['', op],
        [
          makeColumn(packValues(cols, 'string')),
          makeColumn(packValues(values, strings ? 'string' : isCount ? 'int32' : 'float64')),
        ],
        cols.length,
      );
      return new LocalTable(t, [''], 'series');
    },
    graphs.flatMap((g) => g.passes),
  );
}

/** Sample points kept per partition for approximate quantiles (exact below this many rows). */
export const QUANTILE_SAMPLE = 1000;

/** The graph of approximate quantiles of a series (exact when partitions are small). */
export function quantileGraph(
  s: Series,
  qs: readonly number[],
  opts: ReduceOptions = {},
): { key: Key; layer: Layer; passes: readonly GraphPass[] } {
  s.requireNumeric('quantile');
  const n = optimizePlan(s.valueFrame('_value').astype('float64').plan);
  const inputs = lowerInputs(n);
  const name = `quantile-${tokenize(inputs.token, n.pipeline, qs)}`;
  const partials: Node[] = inputs.args.map((a, i) => ({
    fn: kernel('quantilePart'),
    args: [a, { quote: n.pipeline }, i, QUANTILE_SAMPLE],
  }));
  const tree = treeReduce({
    name,
    partials,
    combine: 'quantileCombine',
    finish: 'quantileFinish',
    finishArgs: [{ quote: qs }],
    splitEvery: opts.splitEvery,
    dependencies: inputs.layers,
  });
  return { ...tree, passes: inputs.passes };
}

const DESCRIBE_ROWS = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'];

/** describe(): count, mean, std, min, quartiles and max of each numeric column. */
export function describeFrame(
  frame: import('./frame.js').DataFrame,
  opts: ReduceOptions = {},
): Lazy<LocalTable> {
  const cols = frame.schema.filter((f) => isNumeric(f.dtype)).map((f) => f.name);
  if (cols.length === 0)
    throw new DtypeError(
      `describe: the frame has no numeric column (columns: ${frame.columns.join(', ')}).`,
    );
  const parts = cols.flatMap((c) => [
    reductionGraph(frame.col(c), ['count', 'mean', 'std', 'min', 'max'], opts),
    quantileGraph(frame.col(c), [0.25, 0.5, 0.75], opts),
  ]);
  const top = layer(
    `describe-${tokenize(parts.map((g) => g.key))}`,
    new Map(),
    parts.map((g) => g.layer),
  );
  return new Lazy(
    parts.map((g) => g.key),
    top,
    (values) => {
      const columns = cols.map((_, k) => {
        const [count, mean, std, min, max] = values[2 * k] as number[];
        const [q1, q2, q3] = values[2 * k + 1] as number[];
        return makeColumn(packValues([count, mean, std, min, q1, q2, q3, max], 'float64'));
      });
      const t = tableOf(
        ['', ...cols],
        [makeColumn(packValues(DESCRIBE_ROWS, 'string')), ...columns],
        DESCRIBE_ROWS.length,
      );
      return new LocalTable(t, ['']);
    },
    parts.flatMap((g) => g.passes),
  );
}

export type { Node };
