/**
 * Topological sort and cycle detection. A cycle is reported with its keys in order
 * (`a -> b -> a`), found by an iterative depth-first search (no recursion limit).
 */
import { GraphCycleError } from './errors.js';
import { dependencies, type Graph, type Key } from './graph.js';

/** Keys in an order where every key comes after its dependencies. */
export function toposort(graph: Graph, deps = dependencies(graph)): Key[] {
  const state = new Map<Key, 1 | 2>(); // 1: on the stack, 2: done
  const out: Key[] = [];
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    const stack: Key[] = [root];
    const cursor: number[] = [0];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ds = deps.get(top) ?? [];
      const i = cursor[cursor.length - 1]!;
      if (i < ds.length) {
        cursor[cursor.length - 1] = i + 1;
        const d = ds[i]!;
        const s = state.get(d);
        if (s === 1) throw new GraphCycleError([...stack.slice(stack.indexOf(d)), d]);
        if (s === undefined) {
          state.set(d, 1);
          stack.push(d);
          cursor.push(0);
        }
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

/** Throws GraphCycleError if the graph has a cycle. */
export function assertAcyclic(graph: Graph): void {
  toposort(graph);
}
