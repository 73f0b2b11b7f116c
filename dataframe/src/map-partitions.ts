/**
 * User functions over whole partitions (`mapPartitions`) and over rows (`apply` with
 * axis 1). These are opaque to the plan: the frame's pipeline runs first, the function's
 * output (checked against its meta, given or inferred) starts a new source.
 */
import {
  type AnyFn,
  InvalidArgumentError,
  type Key,
  layer,
  type Node,
  ref,
  toFnRef,
  tokenize,
} from '@dusk/core';
import type * as A from 'apache-arrow';
import { col } from './expr.js';
import { DataFrame } from './frame.js';
import { kernel, lowerFrame } from './lower.js';
import { frameMeta, inferPartitionMeta, type MetaArg, seriesMeta } from './meta.js';
import { Series } from './series.js';

export interface MapPartitionsOptions {
  /** Output schema; inferred from an empty partition when omitted. */
  meta?: MetaArg;
  /** Extra arguments passed after the partition (plain data). */
  args?: unknown[];
}

/**
 * Calls `fn(partition: Arrow Table, ...args)` on every partition. It returns an Arrow
 * table, a result table, `{ column: values }`, or (one-column meta) an array.
 * @example df.mapPartitions((t) => ({ n: Int32Array.of(t.numRows) }), { meta: { n: 'int32' } })
 */
export function mapPartitions(
  frame: DataFrame,
  fn: (t: A.Table, ...a: any[]) => unknown,
  opts: MapPartitionsOptions = {},
): DataFrame {
  const args = opts.args ?? [];
  const meta =
    opts.meta !== undefined
      ? frameMeta(opts.meta, 'mapPartitions')
      : inferPartitionMeta(fn, frame.schema, args);
  const fnRef = toFnRef(fn as AnyFn);
  const { keys, layer: input, passes } = lowerFrame(frame.normal());
  const name = `map-partitions-${tokenize(keys, fnRef, meta, args)}`;
  const tasks = new Map<Key, Node>();
  keys.forEach((k, i) => {
    tasks.set(`${name}:${i}`, {
      fn: kernel('mapPartition'),
      args: [ref(k), { quote: fnRef }, { quote: meta }, i, { quote: args }],
    });
  });
  const source = {
    type: 'graph' as const,
    name,
    layer: layer(name, tasks, [input]),
    keys: [...tasks.keys()],
    label: 'mapPartitions',
    passes,
  };
  return new DataFrame({ kind: 'source', source, schema: meta, lengths: null });
}

/**
 * Calls `fn(row)` for every row (a plain object of the row's values), like pandas'
 * `apply(fn, axis=1)`; `meta` gives the output's name and dtype.
 * @example df.apply((r) => r.price * r.units_sold, { meta: ['total', 'float64'] })
 */
export function applyRows(
  frame: DataFrame,
  fn: (row: any) => unknown,
  opts: { meta?: MetaArg; axis?: 1 } = {},
): Series {
  if (opts.axis !== undefined && opts.axis !== 1)
    throw new InvalidArgumentError(
      'apply works row by row (axis: 1); for a column use col(name).map(fn).',
    );
  if (opts.meta === undefined)
    throw new InvalidArgumentError(
      `apply needs meta, the output's name and dtype, e.g. { meta: ['result', 'float64'] }.`,
    );
  const m = seriesMeta(opts.meta, 'apply');
  const name = m.name ?? 'value';
  const fnRef = toFnRef(fn);
  const { keys, layer: input, passes } = lowerFrame(frame.normal());
  const lname = `apply-${tokenize(keys, fnRef, m)}`;
  const tasks = new Map<Key, Node>();
  keys.forEach((k, i) => {
    tasks.set(`${lname}:${i}`, {
      fn: kernel('applyRowsTask'),
      args: [ref(k), { quote: fnRef }, name, m.dtype, i],
    });
  });
  const source = {
    type: 'graph' as const,
    name: lname,
    layer: layer(lname, tasks, [input]),
    keys: [...tasks.keys()],
    label: 'apply',
    passes,
  };
  const out = new DataFrame({
    kind: 'source',
    source,
    schema: [{ name, dtype: m.dtype }],
    lengths: null,
  });
  return new Series(out, col(name), name);
}
