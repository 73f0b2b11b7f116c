/**
 * Lowering a normalized plan to graph pieces: for each partition, the argument that
 * yields its source table with only the columns the pipeline reads (a zero-copy column
 * selection of an in-memory table, the whole table when it is on shared memory, or a
 * table built from just the needed array chunks), and the layers those arguments depend
 * on.
 */
import {
  type Arg,
  type GraphPass,
  isShared,
  type Key,
  type Layer,
  layer,
  moduleFn,
  type Node,
  ref,
  tokenize,
} from '@dusk/core';
import type * as A from 'apache-arrow';
import { isIdentity, type Normal, pipelineColumns } from './plan.js';

export const KERNELS = '@dusk/dataframe/kernels';
export const kernel = (name: string) => moduleFn(KERNELS, name);

export interface Inputs {
  /** Per partition, an argument evaluating to its (column-pruned) source table. */
  readonly args: readonly Arg[];
  readonly layers: readonly Layer[];
  readonly passes: readonly GraphPass[];
  /** A token naming exactly these inputs (for the keys of layers built on them). */
  readonly token: string;
}

/** The per-partition source tables a normalized plan reads. */
export function lowerInputs(n: Normal): Inputs {
  const src = n.source.source;
  const needed = pipelineColumns(n.pipeline);
  const names = n.source.schema.map((f) => f.name).filter((c) => needed.has(c));
  if (src.type === 'graph') {
    return {
      args: src.keys.map((k) => ref(k)),
      layers: [src.layer],
      passes: src.passes ?? [],
      token: src.name,
    };
  }
  if (src.type === 'literal') {
    if (names.length === n.source.schema.length || onSharedMemory(src.tables)) {
      const keys = src.tables.map((_, i) => `${src.name}:${i}`);
      return {
        args: keys.map(ref),
        layers: [literalLayer(src.name, src.tables)],
        passes: [],
        token: src.name,
      };
    }
    // Zero-copy column selection: the graph holds (and moves) only the columns used.
    const { name, layer: l } = selection(src.name, src.tables, names);
    return {
      args: src.tables.map((_, i) => ref(`${name}:${i}`)),
      layers: [l],
      passes: [],
      token: name,
    };
  }
  const cols = src.columns.filter((c) => needed.has(c.name));
  const name = `from-arrays-${tokenize(src.name, names)}`;
  const nparts = src.columns[0]?.keys.length ?? 0;
  const tasks = new Map<Key, Node>();
  for (let i = 0; i < nparts; i++) {
    tasks.set(`${name}:${i}`, {
      fn: kernel('fromChunks'),
      args: [
        cols.map((c) => ref(c.keys[i]!)),
        { quote: cols.map((c) => c.name) },
        { quote: cols.map((c) => c.categories) },
      ],
    });
  }
  const l = layer(
    name,
    tasks,
    cols.map((c) => c.layer),
  );
  return { args: [...tasks.keys()].map(ref), layers: [l], passes: src.passes, token: name };
}

const literalLayers = new WeakMap<readonly unknown[], Layer>();
const shared = new WeakMap<readonly A.Table[], boolean>();

/**
 * Whether every buffer of these tables is on shared memory. Such tables are not projected:
 * threads read them in place, kernels read only the columns they use, and thread workers
 * keep the tables they were sent, while a projection is a new table per column set,
 * sent to every worker and decoded there again (a persisted frame: the notebook's max,
 * groupby and top-5 steps each sent and decoded all 50 partitions anew). Tables on
 * ordinary memory are projected, so only the columns used are copied.
 */
function onSharedMemory(tables: readonly A.Table[]): boolean {
  let all = shared.get(tables);
  if (all === undefined) {
    all = tables.every((t) =>
      t.batches.every((b) =>
        b.data.children.every(
          (d) =>
            Boolean(d.values) &&
            isShared(d.values as ArrayBufferView) &&
            (d.nullCount === 0 || !d.nullBitmap || isShared(d.nullBitmap)),
        ),
      ),
    );
    shared.set(tables, all);
  }
  return all;
}
const selections = new WeakMap<readonly unknown[], Map<string, { name: string; layer: Layer }>>();

/** The layer of column-selected partitions, made once per source and column set. */
function selection(
  source: string,
  tables: readonly A.Table[],
  names: string[],
): { name: string; layer: Layer } {
  let bySet = selections.get(tables);
  if (!bySet) {
    bySet = new Map();
    selections.set(tables, bySet);
  }
  const key = JSON.stringify(names);
  let s = bySet.get(key);
  if (!s) {
    const name = `select-${tokenize(source, names)}`;
    s = {
      name,
      layer: literalLayer(
        name,
        tables.map((t) => t.select(names)),
      ),
    };
    bySet.set(key, s);
  }
  return s;
}

function literalLayer(name: string, tables: readonly unknown[]): Layer {
  let l = literalLayers.get(tables);
  if (!l) {
    l = layer(name, new Map(tables.map((t, i) => [`${name}:${i}`, { value: t }])));
    literalLayers.set(tables, l);
  }
  return l;
}

/** Partition keys of the frame itself: the pipeline applied to each input. */
export function lowerFrame(n: Normal): { keys: Key[]; layer: Layer; passes: readonly GraphPass[] } {
  const inputs = lowerInputs(n);
  const src = n.source.source;
  if (
    isIdentity(n.pipeline, n.source.schema) &&
    inputs.args.every((a) => typeof a === 'object' && a !== null && 'ref' in a)
  ) {
    const keys = inputs.args.map((a) => (a as { ref: Key }).ref);
    const top =
      inputs.layers.length === 1
        ? inputs.layers[0]!
        : layer(`frame-${tokenize(keys)}`, new Map(), inputs.layers);
    return { keys, layer: top, passes: inputs.passes };
  }
  const name = `pipeline-${tokenize(inputs.token, n.pipeline)}`;
  const tasks = new Map<Key, Node>();
  inputs.args.forEach((a, i) => {
    tasks.set(`${name}:${i}`, { fn: kernel('pipeline'), args: [a, { quote: n.pipeline }, i] });
  });
  void src;
  return {
    keys: [...tasks.keys()],
    layer: layer(name, tasks, inputs.layers),
    passes: inputs.passes,
  };
}
