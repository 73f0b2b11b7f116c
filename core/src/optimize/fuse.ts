/**
 * fuse: collapse linear chains into one task. A task whose only dependency is a task with
 * no other dependent absorbs it as an inline (nested) task, so `load -> clean -> sum` on
 * one chunk becomes one task: one dispatch, and intermediates never leave the worker.
 * Requested keys are never absorbed, and the chain keeps the key of its last task, so
 * dependents and callers see the same keys. Fan-in is left alone: fusing the inputs of a
 * reduction into it would serialise the reduction.
 */
import { MissingKeyError } from '../errors.js';
import {
  type Graph,
  isTask,
  type Key,
  type Node,
  nodeRefs,
  substituteRefs,
  type Task,
} from '../graph.js';

/** @example fuse(graph, ['mean-1']) */
export function fuse(graph: Graph, keys: readonly Key[]): Graph {
  // One pass: how often each key is used, and each task's only dependency if it has one.
  const useCount = new Map<Key, number>();
  const soleDep = new Map<Key, Key>();
  for (const [k, node] of graph) {
    if (!isTask(node)) continue;
    // Raw references, repeats included: a task that uses its input twice must not absorb
    // it, or the input would be computed twice.
    const refs = nodeRefs(node);
    for (let i = 0; i < refs.length; i++) {
      const d = refs[i]!;
      if (!graph.has(d)) throw new MissingKeyError(d, k);
      useCount.set(d, (useCount.get(d) ?? 0) + 1);
    }
    if (refs.length === 1) soleDep.set(k, refs[0]!);
  }
  const keep = new Set(keys);
  // parentOf.get(k) = the task k absorbs (its only dependency, used by k alone).
  const parentOf = new Map<Key, Key>();
  for (const [k, p] of soleDep) {
    if (p !== k && useCount.get(p) === 1 && !keep.has(p) && isTask(graph.get(p)))
      parentOf.set(k, p);
  }
  if (parentOf.size === 0) return new Map(graph);
  const absorbed = new Set(parentOf.values());
  const out: Graph = new Map();
  for (const [k, node] of graph) {
    if (absorbed.has(k)) continue;
    out.set(k, parentOf.has(k) ? fuseChain(graph, parentOf, k) : node);
  }
  return out;
}

/** Builds the nested task for the chain ending at `end`, innermost first. */
function fuseChain(graph: Graph, parentOf: Map<Key, Key>, end: Key): Node {
  const chain: Key[] = [end];
  for (let p = parentOf.get(end); p !== undefined; p = parentOf.get(p)) chain.push(p);
  let inner = graph.get(chain[chain.length - 1]!) as Task;
  for (let i = chain.length - 2; i >= 0; i--) {
    const node = graph.get(chain[i]!) as Task;
    const parentKey = chain[i + 1]!;
    const parent = inner;
    inner = {
      fn: node.fn,
      args: node.args.map((a) => substituteRefs(a, (r) => (r === parentKey ? parent : undefined))),
    };
  }
  return inner;
}
