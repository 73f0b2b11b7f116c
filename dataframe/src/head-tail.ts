/**
 * head / tail reading only the partitions needed: where partition lengths are known (an
 * in-memory source, no filter in between) exactly the partitions covering n rows; else
 * the first (last) `npartitions`, 1 by default, as in Dask.
 */
import { InvalidArgumentError, type Key, layer, type Node, ref, tokenize } from '@dusk/core';
import { DataFrame } from './frame.js';
import { kernel, lowerInputs } from './lower.js';
import { knownLengths, type Plan } from './plan.js';

export interface HeadOptions {
  /** Partitions to read when their lengths are unknown (default 1; -1 for all). */
  npartitions?: number;
}

function partitionsFor(
  lengths: readonly number[] | null,
  total: number,
  n: number,
  fromEnd: boolean,
  opt?: number,
): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  const ordered = fromEnd ? all.reverse() : all;
  if (lengths) {
    const out: number[] = [];
    let rows = 0;
    for (const i of ordered) {
      if (rows >= n && out.length > 0) break;
      out.push(i);
      rows += lengths[i]!;
    }
    return fromEnd ? out.reverse() : out;
  }
  const k = opt === undefined ? 1 : opt === -1 ? total : opt;
  if (!Number.isInteger(k) || k < 1)
    throw new InvalidArgumentError(`npartitions must be a positive integer or -1, got ${opt}.`);
  const out = ordered.slice(0, Math.min(k, total));
  return fromEnd ? out.reverse() : out;
}

/** A one-partition frame of the first (or last) n rows. */
export function edgeFrame(
  frame: DataFrame,
  n: number,
  fromEnd: boolean,
  opts: HeadOptions = {},
): DataFrame {
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(
      `${fromEnd ? 'tail' : 'head'}: n must be a non-negative integer, got ${n}.`,
    );
  const normal = frame.normal();
  const inputs = lowerInputs(normal);
  const parts = partitionsFor(
    knownLengths(frame.plan),
    inputs.args.length,
    n,
    fromEnd,
    opts.npartitions,
  );
  const name = `${fromEnd ? 'tail' : 'head'}-${tokenize(inputs.token, normal.pipeline, n, parts)}`;
  const tasks = new Map<Key, Node>();
  const partKeys = parts.map((i) => {
    const k = `${name}-part:${i}`;
    // head can stop early inside a partition; tail needs the whole partition.
    tasks.set(k, {
      fn: kernel('pipeline'),
      args: [inputs.args[i]!, { quote: normal.pipeline }, i, fromEnd ? null : n],
    });
    return k;
  });
  tasks.set(name, { fn: kernel(fromEnd ? 'tailOf' : 'headOf'), args: [partKeys.map(ref), n] });
  const source = {
    prune: (cols: readonly string[]) =>
      edgeFrame(frame.select(cols), n, fromEnd, opts).plan as Extract<Plan, { kind: 'source' }>,
    type: 'graph' as const,
    name,
    layer: layer(name, tasks, inputs.layers),
    keys: [name],
    label: `${fromEnd ? 'tail' : 'head'}(${n})`,
    passes: inputs.passes,
  };
  return new DataFrame(
    { kind: 'source', source, schema: frame.schema, lengths: null },
    { index: frame.index },
  );
}
