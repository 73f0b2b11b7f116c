/**
 * What a client may ask the cluster to run. Every node must be a literal or a task whose
 * functions are well-formed references. A client that did not present the cluster's
 * token (or, on a cluster without one, did not connect from this machine) is untrusted:
 * it may name exported functions of installed modules, but not ship source text (a
 * lambda is arbitrary code) and not call Node's built-in modules (node:child_process).
 */
import { builtinModules } from 'node:module';
import { collectFnRefs, type FnRef, type Graph, type Node } from '@dusk/core';
import { everyFnRef } from '../fn-refs.js';
import { DistributedAuthError, DistributedProtocolError } from './errors.js';

const BUILTINS = new Set(builtinModules);

function isBuiltin(module: string): boolean {
  return module.startsWith('node:') || BUILTINS.has(module) || BUILTINS.has(module.split('/')[0]!);
}

function checkRef(f: unknown, key: string, trusted: boolean, address: string): void {
  const r = f as Record<string, unknown>;
  const isModule = typeof r?.module === 'string' && typeof r.name === 'string';
  const isSource = typeof r?.source === 'string';
  if (!isModule && !isSource) {
    throw new DistributedProtocolError(
      `Task '${key}' names its function with neither { module, name } nor { source }.`,
    );
  }
  if (trusted) return;
  if (isSource) {
    throw new DistributedAuthError(
      `Task '${key}' ships its function as source text (a lambda), and the scheduler at ` +
        `${address} runs source only for clients that present its token. Pass the token ` +
        "(compute(x, { scheduler: 'distributed', address, token }) or DUSK_SCHEDULER_TOKEN), " +
        'or export the function from a module and declare it with tasks(import.meta.url, { fn }).',
    );
  }
  if (isBuiltin(r.module as string)) {
    throw new DistributedAuthError(
      `Task '${key}' calls '${String(r.name)}' of Node's built-in module '${String(r.module)}', ` +
        `which the scheduler at ${address} allows only for clients that present its token.`,
    );
  }
}

/**
 * Function references quoted in a node's arguments (a bag's or a frame's `map`, mapBlocks):
 * kernels resolve them as the worker resolves a task's own function, so an untrusted client
 * may not ship source text or name a built-in module there either. Any object with a
 * string `source` counts (a kernel would compile it), so data with such a field is refused
 * too, with the way out.
 */
function checkQuoted(node: unknown, key: string, address: string): void {
  everyFnRef(node, (f) => {
    if ('source' in f) {
      throw new DistributedAuthError(
        `Task '${key}' carries source text (an object with a 'source' string, which a kernel ` +
          `would compile as a lambda), and the scheduler at ${address} runs source only for ` +
          'clients that present its token. Pass the token, export the function from a module ' +
          "(tasks(import.meta.url, { fn })), or, if it is data, rename the field 'source'.",
      );
    }
    if (isBuiltin(f.module)) {
      throw new DistributedAuthError(
        `Task '${key}' names '${f.name}' of Node's built-in module '${f.module}' in its ` +
          `arguments, which the scheduler at ${address} allows only for clients that present its token.`,
      );
    }
    return true;
  });
}

/**
 * The graph of a compute request, once every node is checked.
 * @example admitGraph([['x', { value: 1 }]], true, 'ws://127.0.0.1:8786')
 */
export function admitGraph(
  entries: readonly [string, unknown][],
  trusted: boolean,
  address: string,
): Graph {
  const graph: Graph = new Map();
  for (const [key, node] of entries) {
    const n = node as Record<string, unknown>;
    const isTaskNode = n.fn !== undefined && Array.isArray(n.args);
    if (!isTaskNode && !('value' in n)) {
      throw new DistributedProtocolError(
        `Graph node '${key}' is neither a literal { value } nor a task { fn, args }.`,
      );
    }
    for (const f of collectFnRefs(node as Node) as FnRef[]) checkRef(f, key, trusted, address);
    if (!trusted) checkQuoted(node, key, address);
    graph.set(key, node as Node);
  }
  return graph;
}
