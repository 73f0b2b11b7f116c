/**
 * Task ordering: one priority for every scheduler. Policy: depth-first post-order from the
 * requested keys, dependencies in argument order. A reduction then finishes each group of
 * inputs before it starts the next, so only O(splitEvery x depth) partial results are held
 * at once, and the parallel schedulers, which run the ready task with the smallest
 * priority, keep the same memory-frugal shape.
 */
import { GraphCycleError, MissingKeyError } from './errors.js';
import { dependencies, type Graph, type Key } from './graph.js';

/**
 * Execution order for the keys needed by `outputs` (all keys when omitted): a list where
 * each key follows its dependencies. The position in the list is the key's priority.
 * @example order(graph, ['sum-1']) // ['x-1:0', 'x-1:1', 'sum-1']
 */
export function order(
  graph: Graph,
  outputs?: readonly Key[],
  deps?: Map<Key, readonly Key[]>,
): Key[] {
  const depsOf = deps ?? dependencies(graph);
  const roots = outputs ?? sinks(graph, depsOf);
  const state = new Map<Key, 1 | 2>();
  const out: Key[] = [];
  for (const root of roots) {
    if (!graph.has(root)) throw new MissingKeyError(root);
    if (state.has(root)) continue;
    const stack: Key[] = [root];
    const cursor: number[] = [0];
    state.set(root, 1);
    while (stack.length > 0) {
      const depth = stack.length - 1;
      const top = stack[depth]!;
      const ds = depsOf.get(top);
      const i = cursor[depth]!;
      if (ds !== undefined && i < ds.length) {
        cursor[depth] = i + 1;
        const d = ds[i]!;
        const s = state.get(d);
        if (s === 2) continue;
        if (s === 1) throw new GraphCycleError([...stack.slice(stack.indexOf(d)), d]);
        if (!graph.has(d)) throw new MissingKeyError(d, top);
        state.set(d, 1);
        stack.push(d);
        cursor.push(0);
      } else {
        state.set(top, 2);
        out.push(top);
        stack.pop();
        cursor.pop();
      }
    }
  }
  return out;
}

/** Keys nothing depends on, in graph order. */
export function sinks(graph: Graph, deps: Map<Key, readonly Key[]>): Key[] {
  const used = new Set<Key>();
  for (const ds of deps.values()) for (const d of ds) used.add(d);
  return [...graph.keys()].filter((k) => !used.has(k));
}

/** Priorities as a map: key -> position in `order`. */
export function priorities(ordered: readonly Key[]): Map<Key, number> {
  const p = new Map<Key, number>();
  for (let i = 0; i < ordered.length; i++) p.set(ordered[i]!, i);
  return p;
}
