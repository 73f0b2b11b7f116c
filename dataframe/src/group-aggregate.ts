/**
 * The groupby graph as apply-concat-apply: each partition reduces to per-group partial
 * state in one fused loop, partials combine in a tree (`splitEvery`), and a finish step
 * builds the result table, sorted by key unless `sort: false`. With many groups the
 * partials are hash-split into `splitOut` output partitions, each combined on its own.
 */
import {
  type Arg,
  InvalidArgumentError,
  type Key,
  type Layer,
  layer,
  moduleFn,
  type Node,
  ref,
  tokenize,
} from '@dusk/core';
import { isInteger, isNumeric } from './dtypes.js';
import { col } from './expr.js';
import { DataFrame } from './frame.js';
import type { GroupByOptions } from './groupby.js';
import type { GroupSpec } from './kernels/groupby.js';
import { aggDtype, type FinishGroupsSpec } from './kernels/groupby-finish.js';
import type { AggSpec } from './kernels/spec.js';
import { kernel, lowerInputs } from './lower.js';
import { optimizePlan, type Plan } from './plan.js';
import { checkSplitEvery, treeReduce } from './tree.js';

/** Partitions per output partition when splitOut is chosen automatically for number keys. */
export const AUTO_SPLIT_OUT_PARTITIONS = 32;

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
    intKeys: keys.map((k) => isInteger(frame.dtypes[k]!)),
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
