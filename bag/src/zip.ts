/**
 * Combining bags: zip (element i of each, partition by partition) and product (every
 * pair, one output partition per pair of input partitions).
 */
import {
  blockKey,
  InvalidArgumentError,
  type Key,
  layer,
  type Node,
  ref,
  task,
  tokenize,
} from '@dusk/core';
import { Bag } from './bag.js';
import { kernel } from './kernel-ref.js';

/** Tuples `[a, b, ...]` of equally partitioned bags. @example a.zip(b) */
export function zip(first: Bag<any>, others: readonly Bag<any>[]): Bag<any> {
  const bags = [first, ...others];
  for (const b of others) {
    if (!(b instanceof Bag)) throw new InvalidArgumentError('zip: every argument must be a Bag.');
    if (b.npartitions !== first.npartitions) {
      throw new InvalidArgumentError(
        `zip: bags must have the same number of partitions (${first.npartitions} and ${b.npartitions}). ` +
          'Build them with the same partitioning, or repartition one to match.',
      );
    }
  }
  const name = `zip-${tokenize(...bags.map((b) => b.name))}`;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < first.npartitions; i++) {
    tasks.set(
      blockKey(name, [i]),
      task(kernel('zipPartitions'), [bags.map((b) => ref(blockKey(b.name, [i]))), i]),
    );
  }
  return new Bag(
    name,
    first.npartitions,
    layer(
      name,
      tasks,
      bags.map((b) => b.layer),
    ),
  );
}

/** Every pair `[a, b]` (Cartesian product), meant for small bags. @example a.product(b) */
export function product(a: Bag<any>, b: Bag<any>): Bag<any> {
  if (!(b instanceof Bag)) throw new InvalidArgumentError('product: the argument must be a Bag.');
  const name = `product-${tokenize(a.name, b.name)}`;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < a.npartitions; i++) {
    for (let j = 0; j < b.npartitions; j++) {
      const out = blockKey(name, [i * b.npartitions + j]);
      tasks.set(
        out,
        task(kernel('productPartition'), [ref(blockKey(a.name, [i])), ref(blockKey(b.name, [j]))]),
      );
    }
  }
  return new Bag(name, a.npartitions * b.npartitions, layer(name, tasks, [a.layer, b.layer]));
}
