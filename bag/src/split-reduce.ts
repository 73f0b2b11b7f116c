/**
 * Tree reductions with hash-partitioned output (`splitOut`), as Dask's groupby
 * aggregations with `split_out`: each input partition's partial is cut into `splitOut`
 * pieces by a stable hash of the key, and output partition `j` merges piece `j` of every
 * partial in a tree of its own. No task sees every group, so many-group results do not
 * funnel through one task (or one worker's memory). A key's output partition depends only
 * on the key, so the output is the same on every scheduler.
 */
import { blockKey, type Key, layer, type Node, ref, task } from '@dusk/core';
import type { Bag } from './bag.js';
import { kernel } from './kernel-ref.js';
import { combineLevels, type TreeReduceSpec } from './tree-reduce.js';

export interface SplitReduceSpec extends TreeReduceSpec {
  /** The kernel that cuts one partial into `splitOut` pieces: `(partial, splitOut)`. */
  split: string;
  splitOut: number;
  /** The name of the output bag; partition `j` is at `${name}:j`. */
  name: string;
}

const PICK = kernel('pickPiece');

/** The layer of a `splitOut`-partition reduction of `input`. */
export function splitReduce(input: Bag<unknown>, spec: SplitReduceSpec) {
  const tasks = new Map<Key, Node>();
  const splitName = `${spec.prefix}-split-${spec.token}`;
  const pieceName = `${spec.prefix}-piece-${spec.token}`;
  const splits: Key[] = [];
  for (let i = 0; i < input.npartitions; i++) {
    const k = blockKey(splitName, [i]);
    // The partial runs inside the split task: one task per input partition, as without split.
    const partial = spec.partial(ref(blockKey(input.name, [i])), i);
    tasks.set(k, task(kernel(spec.split), [partial, spec.splitOut]));
    splits.push(k);
  }
  for (let j = 0; j < spec.splitOut; j++) {
    // A pick task per piece, so only that piece travels to the worker that merges it.
    const leaves = splits.map((k, i) => {
      const piece = blockKey(pieceName, [i, j]);
      tasks.set(piece, task(PICK, [ref(k), j]));
      return piece;
    });
    const outKey = blockKey(spec.name, [j]);
    combineLevels(tasks, leaves, `${spec.prefix}-combine-${spec.token}`, [j], spec, outKey);
  }
  const deps = [...(spec.inputLayers ?? [input.layer]), ...(spec.deps ?? [])];
  return layer(spec.name, tasks, deps);
}
