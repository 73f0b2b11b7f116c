/**
 * The task graph as plain data: keys map to nodes; a node is a literal `{ value }` or a
 * task `{ fn, args }`. Arguments nest arrays, references `{ ref: key }`, quoted literals
 * `{ quote: value }` (never looked into) and inline tasks. No closures, no class
 * instances: a graph can be cloned, hashed, sent anywhere and printed.
 */

import { MissingKeyError } from './errors.js';
import type { FnRef } from './fn-ref.js';

export type Key = string;

/** A reference to the value of another key. */
export interface Ref {
  readonly ref: Key;
}
/** A literal argument that the scheduler passes as is, without looking inside. */
export interface Quote {
  readonly quote: unknown;
}
/** A call: `fn(...args)`, each argument evaluated first. */
export interface Task {
  readonly fn: FnRef;
  readonly args: readonly Arg[];
}
/** A graph node holding a value computed elsewhere or given by the user. */
export interface Literal {
  readonly value: unknown;
}
/**
 * A task argument. Plain objects are looked into (their values may hold refs); an
 * object with a `ref`, `fn` or `quote` property is one of the special forms above.
 */
export type Arg =
  | Ref
  | Quote
  | Task
  | null
  | undefined
  | boolean
  | number
  | string
  | readonly Arg[]
  | { readonly [k: string]: Arg };

export type Node = Task | Literal;
export type Graph = Map<Key, Node>;

/** @example ref('x-1') // { ref: 'x-1' } */
export const ref = (key: Key): Ref => ({ ref: key });
/** @example quote(new Float64Array(3)) */
export const quote = (value: unknown): Quote => ({ quote: value });
/** @example task({ module: '@dusk/core/kernels', name: 'sum' }, [ref('a'), ref('b')]) */
export const task = (fn: FnRef, args: readonly Arg[]): Task => ({ fn, args });
/** @example literal(42) */
export const literal = (value: unknown): Literal => ({ value });

export function isTask(x: unknown): x is Task {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Task).fn !== undefined &&
    Array.isArray((x as Task).args)
  );
}
export function isRef(x: unknown): x is Ref {
  return typeof x === 'object' && x !== null && typeof (x as Ref).ref === 'string';
}
export function isQuote(x: unknown): x is Quote {
  return typeof x === 'object' && x !== null && 'quote' in x;
}

/** Builds a graph from a plain object of nodes. @example graphFrom({ a: literal(1) }) */
export function graphFrom(nodes: Record<Key, Node>): Graph {
  return new Map(Object.entries(nodes));
}

/** Calls `visit` for every key referenced by an argument, in argument order. */
export function forEachRef(arg: Arg, visit: (key: Key) => void): void {
  if (typeof arg !== 'object' || arg === null) return;
  if (Array.isArray(arg)) {
    for (let i = 0; i < arg.length; i++) forEachRef(arg[i], visit);
    return;
  }
  const o = arg as any;
  if (typeof o.ref === 'string') visit(o.ref);
  else if (o.fn !== undefined && Array.isArray(o.args)) {
    for (let i = 0; i < o.args.length; i++) forEachRef(o.args[i], visit);
  } else if (!('quote' in o)) {
    for (const k in o) forEachRef(o[k], visit);
  }
}

/** The keys a node depends on, without repeats, in argument order. */
export function nodeDependencies(node: Node): Key[] {
  const out = nodeRefs(node);
  // Most tasks have a handful of refs; a wide reduction can have thousands, so dedupe
  // through a Set only when there are many.
  if (out.length < 2) return out;
  if (out.length <= 16) return out.filter((k, i) => out.indexOf(k) === i);
  return [...new Set(out)];
}

/** Every reference in a node, repeats included, in argument order. */
export function nodeRefs(node: Node): Key[] {
  const out: Key[] = [];
  if (isTask(node)) collectArgsRefs(node.args, out);
  return out;
}

// A closure-free walk: this runs for every node on every optimizer pass.
function collectArgsRefs(args: readonly Arg[], out: Key[]): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'object' && a !== null) collectRefs(a, out);
  }
}

function collectRefs(a: object, out: Key[]): void {
  if (Array.isArray(a)) {
    collectArgsRefs(a, out);
    return;
  }
  const o = a as any;
  if (typeof o.ref === 'string') out.push(o.ref);
  else if (o.fn !== undefined && Array.isArray(o.args)) collectArgsRefs(o.args, out);
  else if (!('quote' in o)) {
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'object' && v !== null) collectRefs(v, out);
    }
  }
}

/** Dependencies of every node. Throws MissingKeyError for a reference to an absent key. */
export function dependencies(graph: Graph, checkMissing = true): Map<Key, Key[]> {
  const deps = new Map<Key, Key[]>();
  for (const [key, node] of graph) {
    const d = nodeDependencies(node);
    if (checkMissing) {
      for (const k of d) if (!graph.has(k)) throw new MissingKeyError(k, key);
    }
    deps.set(key, d);
  }
  return deps;
}

/** Reverse of `dependencies`: for each key, the keys that use it. */
export function dependents(deps: Map<Key, readonly Key[]>): Map<Key, Key[]> {
  const out = new Map<Key, Key[]>();
  for (const k of deps.keys()) out.set(k, []);
  for (const [k, ds] of deps) for (const d of ds) out.get(d)?.push(k);
  return out;
}

/** Merges graphs into a new one; later graphs win on equal keys (they hold the same task). */
export function mergeGraphs(...graphs: Graph[]): Graph {
  const out: Graph = new Map();
  for (const g of graphs) for (const [k, v] of g) out.set(k, v);
  return out;
}

/** Replaces references in an argument: `replace(key)` returns the new argument or undefined. */
export function substituteRefs(arg: Arg, replace: (key: Key) => Arg | undefined): Arg {
  if (typeof arg !== 'object' || arg === null) return arg;
  if (Array.isArray(arg)) return arg.map((a) => substituteRefs(a, replace));
  const o = arg as any;
  if (typeof o.ref === 'string') return replace(o.ref) ?? arg;
  if (o.fn !== undefined && Array.isArray(o.args)) {
    return { fn: o.fn, args: o.args.map((a: Arg) => substituteRefs(a, replace)) };
  }
  if ('quote' in o) return arg;
  const copy: Record<string, Arg> = {};
  for (const k in o) copy[k] = substituteRefs(o[k], replace);
  return copy;
}
