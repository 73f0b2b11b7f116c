/**
 * The optimizer pipeline that compute() runs by default: each pass is a pure
 * `(graph, keys) -> graph` function. Order matters: inline cheap nodes first (so chains
 * become linear), cull what is not needed, then fuse linear chains.
 */
import { fnId } from '../fn-ref.js';
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

/** Core kernels cheap enough to run inside each dependent instead of as tasks of their own. */
export const DEFAULT_FAST_FNS: ReadonlySet<string> = new Set(
  ['getItem', 'identity', 'dict'].map((name) => fnId({ module: '@dusk/core/kernels', name })),
);

/** @example optimize(graph, ['result']) */
export function optimize(graph: Graph, keys: readonly Key[], opts: OptimizeOptions = {}): Graph {
  let g = cull(graph, keys);
  if (opts.inline !== false) g = inline(g, keys, { fast: opts.fast ?? DEFAULT_FAST_FNS });
  if (opts.fuse !== false) g = fuse(g, keys);
  return g;
}
