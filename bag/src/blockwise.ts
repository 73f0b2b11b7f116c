/**
 * Partition-wise operations: output partition i is one task reading input partition i.
 * Chains of these fuse into one task per partition when computed (core's linear fusion).
 */
import { type Arg, blockKey, type Layer, layer, type Node, ref, tokenize } from '@dusk/core';
import { Bag, type BagOrigin } from './bag.js';

export interface BlockwiseSpec {
  /** Readable prefix of the new bag's name: 'map', 'filter', ... */
  op: string;
  /** Everything besides the input that determines the result (function ids, arguments). */
  token: unknown[];
  /** The task making output partition `i` from a reference to input partition `i`. */
  task: (part: Arg, i: number) => Node;
  /** Layers of delayed arguments the tasks refer to. */
  deps?: readonly Layer[];
  origin?: BagOrigin;
}

/** A new bag whose partition i is `spec.task(input partition i)`. */
export function blockwise<U>(input: Bag<unknown>, spec: BlockwiseSpec): Bag<U> {
  const name = `${spec.op}-${tokenize(input.name, ...spec.token)}`;
  const tasks = new Map<string, Node>();
  for (let i = 0; i < input.npartitions; i++) {
    tasks.set(blockKey(name, [i]), spec.task(ref(blockKey(input.name, [i])), i));
  }
  const deps = [input.layer, ...(spec.deps ?? [])];
  return new Bag<U>(name, input.npartitions, layer(name, tasks, deps), spec.origin);
}
