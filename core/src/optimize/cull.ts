/**
 * cull: keep only the tasks the requested keys need. Everything else in a merged graph
 * (other outputs, unused intermediates) is dropped before it is scheduled.
 */
import { MissingKeyError } from '../errors.js';
import { type Graph, type Key, nodeDependencies } from '../graph.js';

/** @example cull(graph, ['total-1']) */
export function cull(graph: Graph, keys: readonly Key[]): Graph {
  const out: Graph = new Map();
  const stack: Key[] = [];
  for (const k of keys) {
    if (!graph.has(k)) throw new MissingKeyError(k);
    stack.push(k);
  }
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (out.has(k)) continue;
    const node = graph.get(k)!;
    out.set(k, node);
    for (const d of nodeDependencies(node)) {
      if (!graph.has(d)) throw new MissingKeyError(d, k);
      if (!out.has(d)) stack.push(d);
    }
  }
  // Keep the input's key order so ordering ties stay deterministic.
  if (out.size === graph.size) return new Map(graph);
  const ordered: Graph = new Map();
  for (const k of graph.keys()) {
    const n = out.get(k);
    if (n !== undefined) ordered.set(k, n);
  }
  return ordered;
}
