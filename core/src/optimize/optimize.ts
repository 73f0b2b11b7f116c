/**
 * The optimizer pipeline that compute() runs by default: each pass is a pure
 * `(graph, keys) -> graph` function. Order matters: inline cheap nodes first (so chains
 * become linear), cull what is not needed, then fuse linear chains.
 */
import type { Graph, Key } from '../graph.js';
import { cull } from './cull.js';
import { fuse } from './fuse.js';
import { type InlineOptions, inline } from './inline.js';

export type GraphPass = (graph: Graph, keys: readonly Key[]) => Graph;

export interface OptimizeOptions extends InlineOptions {
  /** Set false to skip fusion (debugging, per-task progress). Default true. */
  fuse?: boolean;
  /** Set false to skip inlining. Default true. */
  inline?: boolean;
}

/** @example optimize(graph, ['result']) */
export function optimize(graph: Graph, keys: readonly Key[], opts: OptimizeOptions = {}): Graph {
  let g = cull(graph, keys);
  if (opts.inline !== false) g = inline(g, keys, opts);
  if (opts.fuse !== false) g = fuse(g, keys);
  return g;
}
