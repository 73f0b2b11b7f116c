/**
 * nlargest / nsmallest as tree reductions: each partition keeps at most n rows (one fused
 * loop with a running threshold), partials combine n rows at a time, and the result is a
 * one-partition frame ordered best first, ties in original row order.
 */
import { DtypeError, InvalidArgumentError, type Node, tokenize } from '@dusk/core';
import { isNumeric } from './dtypes.js';
import { DataFrame } from './frame.js';
import type { TopSpec } from './kernels/topn.js';
import { kernel, lowerInputs } from './lower.js';
import type { Plan } from './plan.js';
import type { ReduceOptions } from './reductions.js';
import { treeReduce } from './tree.js';

/** The n best rows by `columns` (largest or smallest first). */
export function topFrame(
  frame: DataFrame,
  n: number,
  columns: string | readonly string[],
  largest: boolean,
  opts: ReduceOptions = {},
): DataFrame {
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(
      `${largest ? 'nlargest' : 'nsmallest'}: n must be a non-negative integer, got ${n}.`,
    );
  const by = typeof columns === 'string' ? [columns] : [...columns];
  if (by.length === 0)
    throw new InvalidArgumentError(
      `${largest ? 'nlargest' : 'nsmallest'} needs at least one column.`,
    );
  for (const c of by) {
    frame.checkColumn(c);
    const d = frame.dtypes[c]!;
    if (!isNumeric(d))
      throw new DtypeError(
        `${largest ? 'nlargest' : 'nsmallest'} cannot take column '${c}' of dtype ${d}: it needs a number column.`,
      );
  }
  const normal = frame.normal();
  const byName = new Map(normal.pipeline.outputs.map((o) => [o.name, o.expr]));
  const spec: TopSpec = { n, by: by.map((c) => ({ expr: byName.get(c)!, largest })) };
  const inputs = lowerInputs(normal);
  const name = `${largest ? 'nlargest' : 'nsmallest'}-${tokenize(inputs.token, normal.pipeline, spec, opts.splitEvery ?? null)}`;
  const partials: Node[] = inputs.args.map((a, i) => ({
    fn: kernel('topPart'),
    args: [a, { quote: normal.pipeline }, { quote: spec }, i],
  }));
  // Partials carry their rows' scores, so combine steps rank by those.
  const tree = treeReduce({
    name,
    partials,
    combine: 'topCombine',
    combineArgs: [n],
    finish: 'topFinish',
    // The partials' columns: the pipeline's outputs, in order.
    finishArgs: [
      n,
      { quote: normal.pipeline.outputs.map((o) => ({ name: o.name, dtype: o.dtype })) },
    ],
    splitEvery: opts.splitEvery,
    dependencies: inputs.layers,
  });
  const label = `${largest ? 'nlargest' : 'nsmallest'}(${n}, ${by.join(', ')})`;
  const prune = (cols: readonly string[]) => {
    const keep = frame.columns.filter((c) => cols.includes(c) || by.includes(c));
    return topFrame(frame.select(keep), n, by, largest, opts).plan as Extract<
      Plan,
      { kind: 'source' }
    >;
  };
  const source = {
    prune,
    type: 'graph' as const,
    name,
    layer: tree.layer,
    keys: [tree.key],
    label,
    passes: inputs.passes,
  };
  return new DataFrame(
    { kind: 'source', source, schema: frame.schema, lengths: null },
    { index: frame.index },
  );
}
