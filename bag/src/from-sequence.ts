/**
 * Bags from values in memory: fromSequence (the values split into partitions) and range
 * (integers generated per partition, so the graph stays small however long the range).
 */
import {
  blockKey,
  InvalidArgumentError,
  type Key,
  layer,
  type Node,
  refuseLossy,
  task,
  tokenize,
} from '@dusk/core';
import { Bag } from './bag.js';
import { kernel } from './kernel-ref.js';

export interface PartitionOptions {
  /** Number of partitions; lengths differ by at most one. */
  npartitions?: number;
  /** Elements per partition (the last may be shorter). */
  partitionSize?: number;
}

// Dask's rule when neither option is given: up to 100 elements, one per partition; beyond,
// 100 partitions. Enough parallelism for a pool, few enough tasks to schedule cheaply.
const DEFAULT_MAX_PARTITIONS = 100;

/** Partition boundaries `[start, end)` for `length` elements. */
export function partitionBounds(
  length: number,
  opts: PartitionOptions,
  what: string,
): [number, number][] {
  const { npartitions, partitionSize } = opts;
  if (npartitions !== undefined && partitionSize !== undefined) {
    throw new InvalidArgumentError(`${what}: give npartitions or partitionSize, not both.`);
  }
  for (const [k, v] of Object.entries({ npartitions, partitionSize })) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new InvalidArgumentError(
        `${what}: ${k} must be a positive integer (got ${String(v)}).`,
      );
    }
  }
  if (partitionSize !== undefined) {
    const n = Math.max(1, Math.ceil(length / partitionSize));
    return Array.from({ length: n }, (_, i) => [
      i * partitionSize,
      Math.min(length, (i + 1) * partitionSize),
    ]);
  }
  const n = npartitions ?? Math.max(1, Math.min(length, DEFAULT_MAX_PARTITIONS));
  return Array.from({ length: n }, (_, i) => [
    Math.floor((i * length) / n),
    Math.floor(((i + 1) * length) / n),
  ]);
}

/**
 * A bag of the given values, split into partitions in order.
 * @example fromSequence([1, 2, 3, 4, 5], { npartitions: 2 }) // partitions [1, 2] and [3, 4, 5]
 */
export function fromSequence<T>(
  values: readonly T[] | Iterable<T>,
  opts: PartitionOptions = {},
): Bag<T> {
  const list = Array.isArray(values) ? values : [...(values as Iterable<T>)];
  // The elements are the partitions' data: on threads some partitions run in the caller
  // (as they are) and some on workers (cloned), so a class instance would give two answers.
  refuseLossy(list, 'fromSequence(): an element');
  const bounds = partitionBounds(list.length, opts, 'fromSequence');
  const name = `from-sequence-${tokenize(list, bounds)}`;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < bounds.length; i++) {
    const [a, b] = bounds[i]!;
    tasks.set(blockKey(name, [i]), { value: list.slice(a, b) });
  }
  return new Bag<T>(name, bounds.length, layer(name, tasks));
}

/**
 * The integers `0 .. n - 1`.
 * @example await range(10, { npartitions: 3 }).sum().compute() // 45
 */
export function range(n: number, opts: PartitionOptions = {}): Bag<number> {
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(
      `range(n): n must be a non-negative integer (got ${String(n)}).`,
    );
  }
  const bounds = partitionBounds(n, opts, 'range');
  const name = `range-${tokenize(n, bounds)}`;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < bounds.length; i++) {
    const [a, b] = bounds[i]!;
    tasks.set(blockKey(name, [i]), task(kernel('rangePartition'), [a, b]));
  }
  return new Bag<number>(name, bounds.length, layer(name, tasks));
}
