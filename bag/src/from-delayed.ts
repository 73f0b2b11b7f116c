/**
 * fromDelayed: a bag whose partitions are computed by delayed calls (custom loaders,
 * API pages), each computing to an array.
 */
import {
  blockKey,
  Delayed,
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

/**
 * @example
 * const load = delayed((page: number) => fetchPage(page));
 * const b = fromDelayed([load(0), load(1)]);
 */
export function fromDelayed<T>(values: readonly Delayed<T[]>[] | Delayed<T[]>): Bag<T> {
  const list = values instanceof Delayed ? [values] : [...values];
  if (list.length === 0)
    throw new InvalidArgumentError('fromDelayed: pass at least one Delayed value.');
  list.forEach((d, i) => {
    if (!(d instanceof Delayed)) {
      throw new InvalidArgumentError(
        `fromDelayed: item ${i} is not a Delayed value (got ${typeof d}); wrap loaders with delayed(fn).`,
      );
    }
  });
  const name = `from-delayed-${tokenize(list.map((d) => d.key))}`;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < list.length; i++) {
    tasks.set(blockKey(name, [i]), task(kernel('asPartition'), [ref(list[i]!.key), i]));
  }
  return new Bag<T>(
    name,
    list.length,
    layer(
      name,
      tasks,
      list.map((d) => d.layer),
    ),
  );
}
