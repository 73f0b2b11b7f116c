/**
 * Drawing a graph: Graphviz DOT text, and SVG or PNG through the `dot` program where it
 * is installed (Debian: graphviz). Tasks are ellipses labelled by function, literals boxes.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { COLLECTION, type Collection } from './collection.js';
import { DuskError } from './errors.js';
import { fnName } from './fn-ref.js';
import { dependencies, type Graph, isTask } from './graph.js';
import { keyPrefix } from './keys.js';
import { materialize } from './layer.js';

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** @example toDot(graph) // 'digraph dusk { ... }' */
export function toDot(graph: Graph): string {
  const lines = ['digraph dusk {', '  rankdir=BT;', '  node [fontname="Helvetica", fontsize=10];'];
  const ids = new Map<string, string>();
  let n = 0;
  for (const k of graph.keys()) ids.set(k, `n${n++}`);
  for (const [k, node] of graph) {
    const label = isTask(node) ? fnName(node.fn) : keyPrefix(k);
    const shape = isTask(node) ? 'ellipse' : 'box';
    lines.push(`  ${ids.get(k)} [label="${esc(label)}", shape=${shape}, tooltip="${esc(k)}"];`);
  }
  for (const [k, ds] of dependencies(graph, false)) {
    for (const d of ds) if (ids.has(d)) lines.push(`  ${ids.get(d)} -> ${ids.get(k)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Whether Graphviz's `dot` can be run here. */
export function hasGraphviz(): boolean {
  return spawnSync('dot', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * Writes the graph to `path`: `.dot` as DOT text, `.svg`/`.png` rendered by Graphviz.
 * Returns the DOT text.
 */
export function writeGraph(graph: Graph, path: string): string {
  const dot = toDot(graph);
  const format = /\.(svg|png)$/i.exec(path)?.[1]?.toLowerCase();
  if (!format) {
    writeFileSync(path, dot);
    return dot;
  }
  const r = spawnSync('dot', [`-T${format}`, '-o', path], { input: dot });
  if (r.error || r.status !== 0) {
    throw new DuskError(
      'E_GRAPHVIZ',
      `Cannot render ${path} with Graphviz 'dot' (${r.error?.message ?? r.stderr.toString().trim()}). ` +
        'Install graphviz (apt-get install graphviz) or write a .dot file instead.',
    );
  }
  return dot;
}

/**
 * Draws the graph of one or more collections to `path` (.dot, .svg or .png).
 * @example visualize([total], 'total.svg')
 */
export function visualize(collections: readonly Collection[], path: string): string {
  return writeGraph(materialize(collections.map((c) => c[COLLECTION]().layer)), path);
}
