/**
 * fuse: collapse linear chains into one task. A task whose only dependency is a task with
 * no other dependent absorbs it as an inline (nested) task, so `load -> clean -> sum` on
 * one chunk becomes one task: one dispatch, and intermediates never leave the worker.
 * Requested keys are never absorbed, and the chain keeps the key of its last task, so
 * dependents and callers see the same keys. Fan-in is left alone: fusing the inputs of a
 * reduction into it would serialise the reduction.
 */
import {
  dependencies,
  type Graph,
  isTask,
  type Key,
  type Node,
  substituteRefs,
  type Task,
} from '../graph.js';
import { toposort } from '../toposort.js';

/** @example fuse(graph, ['mean-1']) */
export function fuse(graph: Graph, keys: readonly Key[]): Graph {
  const deps = dependencies(graph);
  const useCount = new Map<Key, number>();
  for (const ds of deps.values()) for (const d of ds) useCount.set(d, (useCount.get(d) ?? 0) + 1);
  const keep = new Set(keys);
  const fused = new Map<Key, Node>();
  const absorbed = new Set<Key>();
  for (const k of toposort(graph, deps)) {
    let node = fused.get(k) ?? graph.get(k)!;
    const ds = deps.get(k)!;
    if (isTask(node) && ds.length === 1) {
      const parentKey = ds[0]!;
      const parent = fused.get(parentKey) ?? graph.get(parentKey)!;
      if (isTask(parent) && useCount.get(parentKey) === 1 && !keep.has(parentKey)) {
        node = {
          fn: node.fn,
          args: node.args.map((a) =>
            substituteRefs(a, (r) => (r === parentKey ? (parent as Task) : undefined)),
          ),
        };
        absorbed.add(parentKey);
      }
    }
    fused.set(k, node);
  }
  if (absorbed.size === 0) return new Map(graph);
  const out: Graph = new Map();
  for (const k of graph.keys()) if (!absorbed.has(k)) out.set(k, fused.get(k)!);
  return out;
}
