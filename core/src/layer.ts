/**
 * Graphs of collections are built as layers: one layer per operation, holding that
 * operation's tasks and pointing at the layers it reads. Building an expression is O(1)
 * per operation (no graph copying); `materialize` flattens the layers into one graph when
 * something is computed. Layers are plain data, like the graphs they hold.
 */
import type { Graph } from './graph.js';

export interface Layer {
  readonly name: string;
  readonly tasks: Graph;
  readonly dependencies: readonly Layer[];
}

/** @example layer('sum-ab12', new Map([['sum-ab12', task(...)]]), [input.layer]) */
export function layer(name: string, tasks: Graph, dependencies: readonly Layer[] = []): Layer {
  return { name, tasks, dependencies };
}

/** Every layer reachable from `roots`, each once, dependencies before dependents. */
export function layersOf(roots: readonly Layer[]): Layer[] {
  const seen = new Set<string>();
  const out: Layer[] = [];
  const stack: { l: Layer; i: number }[] = [];
  for (const r of roots) {
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    stack.push({ l: r, i: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.l.dependencies.length) {
        const d = top.l.dependencies[top.i++]!;
        if (!seen.has(d.name)) {
          seen.add(d.name);
          stack.push({ l: d, i: 0 });
        }
      } else {
        out.push(top.l);
        stack.pop();
      }
    }
  }
  return out;
}

/** Flattens layers into one graph. */
export function materialize(roots: readonly Layer[]): Graph {
  const layers = layersOf(roots);
  if (layers.length === 1) return new Map(layers[0]!.tasks);
  const g: Graph = new Map();
  for (const l of layers) for (const [k, v] of l.tasks) g.set(k, v);
  return g;
}
