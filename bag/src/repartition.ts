/**
 * repartition: fewer partitions by concatenating neighbours, more by cutting each
 * partition into nearly equal runs. Order of elements is kept either way.
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

const PICK = kernel('pickPiece');

/** @example range(100, { npartitions: 10 }).repartition(3) */
export function repartition<T>(input: Bag<T>, npartitions: number): Bag<T> {
  if (!Number.isInteger(npartitions) || npartitions < 1) {
    throw new InvalidArgumentError(
      `repartition: npartitions must be a positive integer (got ${String(npartitions)}).`,
    );
  }
  const nIn = input.npartitions;
  if (npartitions === nIn) return input;
  const name = `repartition-${tokenize(input.name, npartitions)}`;
  const tasks = new Map<Key, Node>();
  const inKey = (i: number) => ref(blockKey(input.name, [i]));
  if (npartitions < nIn) {
    for (let j = 0; j < npartitions; j++) {
      const from = Math.floor((j * nIn) / npartitions);
      const to = Math.floor(((j + 1) * nIn) / npartitions);
      const parts = [];
      for (let i = from; i < to; i++) parts.push(inKey(i));
      tasks.set(blockKey(name, [j]), task(kernel('concatPartitions'), [parts]));
    }
  } else {
    for (let i = 0; i < nIn; i++) {
      const first = Math.floor((i * npartitions) / nIn);
      const pieces = Math.floor(((i + 1) * npartitions) / nIn) - first;
      const cut = blockKey(`repartition-cut-${tokenize(input.name, npartitions)}`, [i]);
      tasks.set(cut, task(kernel('cutPartition'), [inKey(i), pieces]));
      for (let p = 0; p < pieces; p++)
        tasks.set(blockKey(name, [first + p]), task(PICK, [ref(cut), p]));
    }
  }
  return new Bag<T>(name, npartitions, layer(name, tasks, [input.layer]));
}
