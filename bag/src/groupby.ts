/**
 * groupby with a hash shuffle, for when every element of a group is needed at once (prefer
 * foldby for reductions: it moves partials, not elements). Each input partition is split
 * into one bucket per output partition by a stable hash of the key; output partition j
 * gathers bucket j of every input and groups it. Keys land in one partition whichever
 * scheduler ran the split.
 */
import {
  type AnyFn,
  blockKey,
  type FnRef,
  InvalidArgumentError,
  type Key,
  layer,
  type Node,
  ref,
  task,
  tokenize,
} from '@dusk/core';
import { Bag } from './bag.js';
import { kernel, keySpec } from './kernel-ref.js';

const PICK = kernel('pickPiece');

/**
 * `[key, elements]` for every key, elements in input order, over `npartitions` output
 * partitions (default: as many as the input).
 * @example ratings.groupby((r) => r.movie).map(([movie, rs]) => [movie, rs.length])
 */
export function groupby<T>(
  input: Bag<T>,
  key: AnyFn | FnRef | string | number,
  opts: { npartitions?: number } = {},
): Bag<[unknown, T[]]> {
  const nOut = opts.npartitions ?? input.npartitions;
  if (!Number.isInteger(nOut) || nOut < 1) {
    throw new InvalidArgumentError(
      `groupby: npartitions must be a positive integer (got ${String(nOut)}).`,
    );
  }
  const spec = keySpec(key);
  const token = tokenize(input.name, spec.id, nOut);
  const name = `groupby-${token}`;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < input.npartitions; i++) {
    const split = blockKey(`groupby-split-${token}`, [i]);
    tasks.set(split, task(kernel('hashSplit'), [ref(blockKey(input.name, [i])), spec.arg, nOut]));
    for (let j = 0; j < nOut; j++)
      tasks.set(blockKey(`groupby-shard-${token}`, [i, j]), task(PICK, [ref(split), j]));
  }
  for (let j = 0; j < nOut; j++) {
    const shards = [];
    for (let i = 0; i < input.npartitions; i++)
      shards.push(ref(blockKey(`groupby-shard-${token}`, [i, j])));
    tasks.set(blockKey(name, [j]), task(kernel('collectGroups'), [shards]));
  }
  return new Bag(name, nOut, layer(name, tasks, [input.layer]));
}
