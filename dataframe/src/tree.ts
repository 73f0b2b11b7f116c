/**
 * Tree reductions: partials per partition, combined `splitEvery` at a time, level by
 * level, then finished by one task. Memory stays at O(splitEvery x depth) partials and
 * every combine step is small, whatever the number of partitions.
 */
import {
  type Arg,
  config,
  InvalidArgumentError,
  type Key,
  type Layer,
  layer,
  type Node,
  ref,
} from '@dusk/core';
import { kernel } from './lower.js';

export interface TreeSpec {
  /** Key prefix, e.g. 'sum-<token>'. */
  readonly name: string;
  /** One task per partition producing a partial. */
  readonly partials: readonly Node[];
  /** Kernel combining a list of partials into one (extra args appended). */
  readonly combine: string;
  readonly combineArgs?: readonly Arg[];
  /** Kernel turning the last list of partials into the result (extra args appended). */
  readonly finish: string;
  readonly finishArgs?: readonly Arg[];
  readonly splitEvery?: number;
  readonly dependencies: readonly Layer[];
}

export function checkSplitEvery(s: number | undefined): number {
  const v = s ?? config.get('splitEvery');
  if (!Number.isInteger(v) || v < 2)
    throw new InvalidArgumentError(
      `splitEvery must be an integer of at least 2, got ${String(s)}.`,
    );
  return v;
}

/** Builds the reduction as one layer; its result is the key `spec.name`. */
export function treeReduce(spec: TreeSpec): { key: Key; layer: Layer } {
  const every = checkSplitEvery(spec.splitEvery);
  const tasks = new Map<Key, Node>();
  let level: Key[] = spec.partials.map((node, i) => {
    const k = `${spec.name}-part:${i}`;
    tasks.set(k, node);
    return k;
  });
  let depth = 0;
  while (level.length > every) {
    const next: Key[] = [];
    for (let i = 0; i < level.length; i += every) {
      const k = `${spec.name}-combine-${depth}:${next.length}`;
      tasks.set(k, {
        fn: kernel(spec.combine),
        args: [level.slice(i, i + every).map(ref), ...(spec.combineArgs ?? [])],
      });
      next.push(k);
    }
    level = next;
    depth++;
  }
  tasks.set(spec.name, {
    fn: kernel(spec.finish),
    args: [level.map(ref), ...(spec.finishArgs ?? [])],
  });
  return { key: spec.name, layer: layer(spec.name, tasks, spec.dependencies) };
}
