/**
 * Frames from other lazy collections: `fromDelayed` (one partition per delayed value,
 * checked against the given meta) and `fromArray(s)` (one partition per chunk of 1-d
 * chunked arrays, like dask's `dd.from_dask_array`: columns are generated in parallel,
 * chunk by chunk, and only the columns a result reads are ever computed).
 */
import {
  COLLECTION,
  type Collection,
  InvalidArgumentError,
  type Key,
  layer,
  type Node,
  ref,
  tokenize,
} from '@dusk/core';
import { asDtype, type Dtype, NUMERIC_DTYPES, type Schema } from './dtypes.js';
import { DataFrame } from './frame.js';
import { kernel } from './lower.js';
import { frameMeta, type MetaArg } from './meta.js';

/** What fromArrays needs of a chunked array (the shape of @dusk/array's DuskArray). */
export interface ChunkedArrayLike extends Collection {
  readonly shape: readonly number[];
  readonly chunks: readonly (readonly number[])[];
  readonly dtype: string;
}

/**
 * A frame with one partition per delayed value (each must compute to an Arrow table, a
 * result table or `{ column: values }` matching `meta`).
 * @example fromDelayed([loadDay(1), loadDay(2)], { meta: { station_id: 'int32', temperature: 'float64' } })
 */
export function fromDelayed(parts: readonly Collection[], opts: { meta: MetaArg }): DataFrame {
  if (!opts || opts.meta === undefined)
    throw new InvalidArgumentError(
      "fromDelayed needs the partitions' meta, e.g. { meta: { x: 'float64', name: 'string' } }.",
    );
  const meta = frameMeta(opts.meta, 'fromDelayed');
  const specs = parts.map((p, i) => {
    if (!p || typeof (p as any)[COLLECTION] !== 'function')
      throw new InvalidArgumentError(`fromDelayed: part ${i} is not a delayed value.`);
    const s = p[COLLECTION]();
    if (s.keys.length !== 1)
      throw new InvalidArgumentError(
        `fromDelayed: part ${i} has ${s.keys.length} outputs; pass single delayed values.`,
      );
    return s;
  });
  const name = `from-delayed-${tokenize(
    specs.map((s) => s.keys[0]),
    meta,
  )}`;
  const tasks = new Map<Key, Node>();
  specs.forEach((s, i) => {
    tasks.set(`${name}:${i}`, {
      fn: kernel('checkDelayed'),
      args: [ref(s.keys[0]!), { quote: meta }, i],
    });
  });
  const passes = specs.map((s) => s.optimize).filter((p) => p !== undefined);
  const l = layer(
    name,
    tasks,
    specs.map((s) => s.layer),
  );
  return new DataFrame({
    kind: 'source',
    source: {
      type: 'graph',
      name,
      layer: l,
      keys: [...tasks.keys()],
      label: 'fromDelayed',
      passes,
    },
    schema: meta,
    lengths: null,
  });
}

export interface FromArraysOptions {
  /** Columns whose integer chunks are codes into these strings (a string column). */
  categories?: Record<string, readonly string[]>;
  name?: string;
}

const ARRAY_DTYPES: ReadonlySet<string> = new Set(NUMERIC_DTYPES);

/**
 * A frame from 1-d chunked arrays with equal chunks: one partition per chunk.
 * @example
 * fromArrays({ price: da.random.uniform(5, 500, [n], { chunks, seed }), category: codes }, { categories: { category: CATS } })
 */
export function fromArrays(
  columns: Record<string, ChunkedArrayLike>,
  opts: FromArraysOptions = {},
): DataFrame {
  const names = Object.keys(columns);
  if (names.length === 0) throw new InvalidArgumentError('fromArrays needs at least one column.');
  const first = columns[names[0]!]!;
  const schema: Schema = names.map((name) => {
    const a = columns[name]!;
    if (!a || !Array.isArray(a.shape) || a.shape.length !== 1)
      throw new InvalidArgumentError(
        `fromArrays: column '${name}' must be a 1-d chunked array (got shape [${a?.shape?.join(', ')}]).`,
      );
    if (a.chunks[0]!.join(',') !== first.chunks[0]!.join(','))
      throw new InvalidArgumentError(
        `fromArrays: column '${name}' has chunks [${a.chunks[0]!.join(', ')}] but '${names[0]}' has [${first.chunks[0]!.join(', ')}]; rechunk them alike.`,
      );
    const cats = opts.categories?.[name];
    if (cats) return { name, dtype: 'string' as Dtype };
    if (!ARRAY_DTYPES.has(a.dtype))
      throw new InvalidArgumentError(
        `fromArrays: column '${name}' has dtype ${a.dtype}; columns take ${[...ARRAY_DTYPES].join(', ')}.`,
      );
    return { name, dtype: asDtype(a.dtype, `fromArrays '${name}'`) };
  });
  for (const c of Object.keys(opts.categories ?? {}))
    if (!names.includes(c))
      throw new InvalidArgumentError(
        `fromArrays: categories name column '${c}', which is not among the columns (${names.join(', ')}).`,
      );
  const cols = names.map((name) => {
    const s = columns[name]![COLLECTION]();
    return {
      name,
      keys: s.keys,
      layer: s.layer,
      categories: opts.categories?.[name] ?? null,
      optimize: s.optimize,
    };
  });
  const passes = [...new Set(cols.map((c) => c.optimize).filter((p) => p !== undefined))];
  const name = `${opts.name ?? 'from-arrays'}-${tokenize(cols.map((c) => [c.name, c.keys[0], c.categories]))}`;
  const lengths = first.chunks[0]!;
  return new DataFrame({
    kind: 'source',
    source: { type: 'arrays', name, columns: cols, passes, label: 'fromArrays' },
    schema,
    lengths: lengths.every((l) => Number.isFinite(l)) ? lengths : null,
  });
}

/**
 * A frame from a chunked array, like dask's `dd.from_dask_array`: a 1-d array is one column
 * (`column`, default 'value'); a 2-d array gives one column per array column (`columns`,
 * default '0', '1', ...) and must have a single chunk along its second axis. One partition
 * per chunk along the first axis.
 * @example fromArray(da.random.random([1000, 3], { chunks: [100, 3] }), { columns: ['x', 'y', 'z'] })
 */
export function fromArray(
  array: ChunkedArrayLike,
  opts: FromArraysOptions & { column?: string; columns?: readonly string[] } = {},
): DataFrame {
  if (array?.shape?.length !== 2) return fromArrays({ [opts.column ?? 'value']: array }, opts);
  const [, width] = array.shape as [number, number];
  if (array.chunks[1]!.length !== 1)
    throw new InvalidArgumentError(
      `fromArray: a 2-d array needs one chunk along its columns (it has ${array.chunks[1]!.length}); rechunk it with { chunks: [rows, ${width}] }.`,
    );
  const names = opts.columns
    ? [...opts.columns]
    : Array.from({ length: width }, (_, i) => String(i));
  if (names.length !== width)
    throw new InvalidArgumentError(
      `fromArray: ${names.length} column names for an array of ${width} columns.`,
    );
  if (!ARRAY_DTYPES.has(array.dtype))
    throw new InvalidArgumentError(
      `fromArray: dtype ${array.dtype}; columns take ${[...ARRAY_DTYPES].join(', ')}.`,
    );
  const spec = array[COLLECTION]();
  const name = `${opts.name ?? 'from-array'}-${tokenize(spec.keys[0], names)}`;
  const tasks = new Map<Key, Node>();
  spec.keys.forEach((k, i) => {
    tasks.set(`${name}:${i}`, { fn: kernel('fromMatrixChunk'), args: [ref(k), { quote: names }] });
  });
  const source = {
    type: 'graph' as const,
    name,
    layer: layer(name, tasks, [spec.layer]),
    keys: [...tasks.keys()],
    label: 'fromArray',
    passes: spec.optimize ? [spec.optimize] : [],
  };
  const dtype = asDtype(array.dtype, 'fromArray');
  const lengths = array.chunks[0]!;
  return new DataFrame({
    kind: 'source',
    source,
    schema: names.map((n) => ({ name: n, dtype })),
    lengths: lengths.every((l) => Number.isFinite(l)) ? lengths : null,
  });
}
