/**
 * Topological sort and cycle detection. The ordering's depth-first walk already yields
 * dependencies first and names a cycle with its keys in order (`a -> b -> a`); a plain
 * toposort is that walk started from every key.
 */
import { dependencies, type Graph, type Key } from './graph.js';
import { order } from './order.js';

/** Keys in an order where every key comes after its dependencies. */
export function toposort(graph: Graph, deps = dependencies(graph)): Key[] {
  return order(graph, [...graph.keys()], deps);
}

/** Throws GraphCycleError if the graph has a cycle. */
export function assertAcyclic(graph: Graph): void {
  toposort(graph);
}
