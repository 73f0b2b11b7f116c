/**
 * Tree reductions: a partial per partition, then `splitEvery` partials combined per task,
 * level by level, then one aggregate. With 1,000 partitions and splitEvery 8 that is four
 * levels: no task reads more than eight partials, and partials are freed as they merge.
 */
import {
  type Arg,
  blockKey,
  type Key,
  type Layer,
  layer,
  type Node,
  ref,
  type Task,
} from '@dusk/core';
import type { Bag } from './bag.js';

export interface TreeReduceSpec {
  /** Readable prefix of the keys: 'sum', 'frequencies', ... */
  prefix: string;
  /** Token of the whole reduction (input, functions, options). */
  token: string;
  /** The partial of input partition `i`. */
  partial: (part: Arg, i: number) => Task;
  /** Merges a list of partials into one partial. */
  combine: (partials: Arg[]) => Task;
  /** Turns the last list of partials into the result. */
  aggregate: (partials: Arg[]) => Task;
  splitEvery: number;
  /** The key of the result (default `${prefix}-${token}`). */
  outKey?: Key;
  deps?: readonly Layer[];
  /** The layers the partials read (default: the input's), when they bypass the input. */
  inputLayers?: readonly Layer[];
}

/** Builds the reduction's layer; its result is at `key`. */
export function treeReduce(input: Bag<unknown>, spec: TreeReduceSpec): { key: Key; layer: Layer } {
  const key = spec.outKey ?? `${spec.prefix}-${spec.token}`;
  const tasks = new Map<Key, Node>();
  const partName = `${spec.prefix}-part-${spec.token}`;
  const leaves: Key[] = [];
  for (let i = 0; i < input.npartitions; i++) {
    const k = blockKey(partName, [i]);
    tasks.set(k, spec.partial(ref(blockKey(input.name, [i])), i));
    leaves.push(k);
  }
  combineLevels(tasks, leaves, `${spec.prefix}-combine-${spec.token}`, [], spec, key);
  return {
    key,
    layer: layer(key, tasks, [...(spec.inputLayers ?? [input.layer]), ...(spec.deps ?? [])]),
  };
}

/**
 * Adds to `tasks` the levels that merge `leaves` (`splitEvery` per task) and the aggregate
 * at `outKey`. Combine keys are `${name}:${...index},depth,j`.
 */
export function combineLevels(
  tasks: Map<Key, Node>,
  leaves: readonly Key[],
  name: string,
  index: readonly number[],
  spec: Pick<TreeReduceSpec, 'combine' | 'aggregate' | 'splitEvery'>,
  outKey: Key,
): void {
  let level = leaves;
  for (let depth = 0; level.length > spec.splitEvery; depth++) {
    const next: Key[] = [];
    for (let j = 0; j * spec.splitEvery < level.length; j++) {
      const group = level.slice(j * spec.splitEvery, (j + 1) * spec.splitEvery);
      const k = blockKey(name, [...index, depth, j]);
      tasks.set(k, spec.combine(group.map(ref)));
      next.push(k);
    }
    level = next;
  }
  tasks.set(outKey, spec.aggregate(level.map(ref)));
}
