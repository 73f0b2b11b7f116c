/**
 * Running one task: evaluate its arguments (refs from the results store, inline tasks
 * recursively, quotes as is) and call its function. Shared by every scheduler and worker
 * so a graph gives the same answer everywhere.
 */
import { type FnRef, isResolved, resolvedFn, resolveFn } from './fn-ref.js';
import { type Arg, type Graph, isTask, type Node, type Task } from './graph.js';

export type Getter = (key: string) => unknown;

/**
 * Evaluates an argument. Inline tasks run now; a Promise they return is passed on as is,
 * and a list or record holding one becomes a Promise of the list or record, so an async
 * task fused into a list argument (one partial of a reduction) is awaited like any other.
 */
export function evaluateArg(arg: Arg, get: Getter): unknown {
  if (typeof arg !== 'object' || arg === null) return arg;
  if (Array.isArray(arg)) {
    const out = new Array(arg.length);
    let pending = false;
    for (let i = 0; i < arg.length; i++) {
      const v = evaluateArg(arg[i], get);
      if (v instanceof Promise) pending = true;
      out[i] = v;
    }
    return pending ? Promise.all(out) : out;
  }
  const o = arg as any;
  if (typeof o.ref === 'string') return get(o.ref);
  if (o.fn !== undefined && Array.isArray(o.args)) return runTaskSync(o as Task, get);
  if ('quote' in o) return o.quote;
  const copy: Record<string, unknown> = {};
  let pending = false;
  for (const k in o) {
    const v = evaluateArg(o[k], get);
    if (v instanceof Promise) pending = true;
    copy[k] = v;
  }
  return pending ? awaitValues(copy) : copy;
}

async function awaitValues(o: Record<string, unknown>): Promise<Record<string, unknown>> {
  for (const k in o) o[k] = await o[k];
  return o;
}

function runTaskSync(t: Task, get: Getter): unknown {
  const fn = resolvedFn(t.fn);
  const n = t.args.length;
  const args = new Array(n);
  let pending = false;
  for (let i = 0; i < n; i++) {
    const v = evaluateArg(t.args[i], get);
    if (v instanceof Promise) pending = true;
    args[i] = v;
  }
  // An inline (fused) async task hands its Promise up: wait for all, then call.
  if (pending) return Promise.all(args).then((a) => fn(...a));
  return fn(...args);
}

/** Runs a graph node: a task's result (maybe a Promise) or a literal's value. */
export function runNode(node: Node, get: Getter): unknown {
  return isTask(node) ? runTaskSync(node, get) : (node as { value: unknown }).value;
}

/** Every function reference a node uses, inline tasks included. */
export function collectFnRefs(node: Node | Arg, out: FnRef[] = []): FnRef[] {
  if (typeof node !== 'object' || node === null) return out;
  if (Array.isArray(node)) {
    for (const a of node) collectFnRefs(a, out);
    return out;
  }
  const o = node as any;
  if (o.fn !== undefined && Array.isArray(o.args)) {
    out.push(o.fn);
    for (const a of o.args) collectFnRefs(a, out);
  } else if (typeof o.ref !== 'string' && !('quote' in o) && !('value' in o)) {
    for (const k in o) collectFnRefs(o[k], out);
  }
  return out;
}

/**
 * Whether every function these nodes name is resolved in this process already, so they can
 * run without `preloadFns` (a pool worker's later tasks: awaiting it for each message of
 * tasks cost the worker ~2% of a groupby over a persisted frame).
 */
export function fnsResolved(nodes: Iterable<Node>): boolean {
  for (const node of nodes) for (const f of collectFnRefs(node)) if (!isResolved(f)) return false;
  return true;
}

/**
 * Imports or compiles every function a graph names that is not resolved yet, so tasks can
 * then run synchronously. A graph whose functions an earlier compute resolved costs one
 * walk, nothing more (it cost a compute on threads ~0.1 ms before its first message).
 */
export async function preloadFns(graph: Graph | Iterable<Node>): Promise<void> {
  const missing = new Set<FnRef>();
  const nodes = graph instanceof Map ? graph.values() : graph;
  for (const node of nodes) for (const f of collectFnRefs(node)) if (!isResolved(f)) missing.add(f);
  if (missing.size > 0) await Promise.all([...missing].map((f) => resolveFn(f)));
}
