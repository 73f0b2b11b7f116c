/**
 * inline: put cheap nodes into their dependents instead of scheduling them. Small
 * literals (numbers, strings, short arrays) are always cheap, and so is any literal used
 * by a single reference (a persisted partition read by one task travels with it); tasks
 * are cheap when their function is listed in `fast` (getItem, identity...). Requested keys
 * stay in the graph. A large literal is never inlined into more than one place: it would
 * be copied. A held marker (a partition kept on a worker) is never inlined: its scheduler
 * must see it as a node of its own to read it where it is.
 */
import { fnId } from '../fn-ref.js';
import {
  type Arg,
  dependencies,
  type Graph,
  isTask,
  type Key,
  type Node,
  nodeRefs,
  substituteRefs,
} from '../graph.js';
import { heldMarkerOf } from '../held.js';
import { toposort } from '../toposort.js';

export interface InlineOptions {
  /** fnId()s of functions cheap enough to run inside each dependent. */
  fast?: ReadonlySet<string>;
}

const SMALL_ARRAY = 16;

function isSmallLiteral(v: unknown): boolean {
  const t = typeof v;
  if (v === null || t === 'number' || t === 'boolean' || t === 'undefined' || t === 'bigint')
    return true;
  if (t === 'string') return (v as string).length <= 256;
  if (Array.isArray(v))
    return v.length <= SMALL_ARRAY && v.every((x) => typeof x !== 'object' || x === null);
  return false;
}

function asArg(node: Node): Arg {
  if (isTask(node)) return node;
  const v = (node as { value: unknown }).value;
  return typeof v === 'object' && v !== null ? { quote: v } : (v as Arg);
}

/** @example inline(graph, ['out'], { fast: new Set([fnId(getItemRef)]) }) */
export function inline(graph: Graph, keys: readonly Key[], opts: InlineOptions = {}): Graph {
  const keep = new Set(keys);
  const fast = opts.fast ?? new Set<string>();
  const deps = dependencies(graph);
  // References to each key, repeats included: a literal used by exactly one reference
  // travels inside that task (no copy is made, and no separate node is scheduled).
  const uses = new Map<Key, number>();
  for (const node of graph.values())
    for (const r of nodeRefs(node)) uses.set(r, (uses.get(r) ?? 0) + 1);
  const cheap = new Set<Key>();
  for (const [k, node] of graph) {
    if (keep.has(k) || heldMarkerOf(node)) continue;
    const inlinable = isTask(node)
      ? fast.has(fnId(node.fn))
      : uses.get(k) === 1 || isSmallLiteral((node as { value: unknown }).value);
    if (inlinable) cheap.add(k);
  }
  if (cheap.size === 0) return new Map(graph);
  const done = new Map<Key, Node>();
  for (const k of toposort(graph, deps)) {
    const node = graph.get(k)!;
    if (!isTask(node) || !deps.get(k)!.some((d) => cheap.has(d))) {
      done.set(k, node);
      continue;
    }
    done.set(k, {
      fn: node.fn,
      args: node.args.map((a) =>
        substituteRefs(a, (r) => (cheap.has(r) ? asArg(done.get(r)!) : undefined)),
      ),
    });
  }
  const out: Graph = new Map();
  for (const k of graph.keys()) if (!cheap.has(k)) out.set(k, done.get(k)!);
  return out;
}
