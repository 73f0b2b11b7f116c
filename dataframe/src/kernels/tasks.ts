/**
 * Task functions: what partition, combine and finish tasks of dataframe graphs call.
 * Arguments are plain data (tables, specs, numbers), so they run the same on any worker.
 */
import { allocate, type FnRef, InputError, resolvedFn, type TypedArray } from '@dusk/core';
import type * as A from 'apache-arrow';
import type { Dtype, Schema } from '../dtypes.js';
import { dtypeOfArray, schemaOfArrow } from '../dtypes.js';
import { MetaMismatchError } from '../errors.js';
import {
  concatTables,
  emptyTable,
  makeColumn,
  narrowCodes,
  packValues,
  tableOf,
} from './arrow-build.js';
import './codec.js';
import { withFns } from './batch.js';
import { checkPartition } from './check-partition.js';
import {
  combineGroups,
  type GroupPartial,
  type GroupSpec,
  groupPartition,
  splitGroups,
} from './groupby.js';
import { type FinishGroupsSpec, finishGroups } from './groupby-finish.js';
import { runPipeline } from './pipeline.js';
import {
  combinePartials,
  finishReduction,
  type Partial,
  type ReduceSpec,
  reducePartition,
} from './reduce.js';
import type { PipelineSpec } from './spec.js';
import { combineTop, type TopPartial, type TopSpec, topPartial, topTable } from './topn.js';

export { checkPartition } from './check-partition.js';
export { finishGroups } from './groupby-finish.js';
export { quantileCombine, quantileFinish, quantilePart } from './quantile.js';

/** Runs a fused pipeline over a partition. */
export function pipeline(
  table: A.Table,
  spec: PipelineSpec,
  partition: number,
  limit?: number,
): A.Table | Promise<A.Table> {
  return withFns(spec, () => runPipeline(table, spec, partition, limit ?? Infinity));
}

/** Keeps the named columns (zero copy). */
export function selectColumns(table: A.Table, names: string[]): A.Table {
  return table.select(names);
}

export function reducePart(
  table: A.Table,
  spec: ReduceSpec,
  partition: number,
): Partial | Promise<Partial> {
  return withFns(spec, () => reducePartition(table, spec, partition));
}
export function reduceCombine(parts: Partial[]): Partial {
  return combinePartials(parts);
}
export function reduceFinish(parts: Partial[], ops: string[], ddof: number): unknown {
  const p = combinePartials(parts);
  if (ops.length === 1) return finishReduction(p, ops[0]!, ddof);
  return ops.map((op) => finishReduction(p, op, ddof));
}

export function groupPart(
  table: A.Table,
  spec: GroupSpec,
  partition: number,
): GroupPartial | Promise<GroupPartial> {
  return withFns(spec, () => groupPartition(table, spec, partition));
}
export function groupCombine(parts: GroupPartial[], aggs: GroupSpec['aggs']): GroupPartial {
  return combineGroups(parts, aggs);
}
export function groupSplit(part: GroupPartial, n: number): GroupPartial[] {
  return splitGroups(part, n);
}
export function groupFinish(parts: GroupPartial[], spec: FinishGroupsSpec): A.Table {
  return finishGroups(combineGroups(parts, spec.aggs), spec);
}

export function topPart(
  table: A.Table,
  pipe: PipelineSpec,
  spec: TopSpec,
  partition: number,
): TopPartial | Promise<TopPartial> {
  return withFns([pipe, spec], () => topPartial(table, pipe, spec, partition));
}
export function topCombine(parts: TopPartial[], n: number): TopPartial {
  return combineTop(parts, n);
}
/** The result table; `schema` gives its columns (the partials' outputs, in order). */
export function topFinish(parts: TopPartial[], n: number, schema: Schema): A.Table {
  if (parts.length === 0) return emptyTable(schema);
  return topTable(combineTop(parts, n), schema);
}

/** Concatenates partition tables into one (dictionaries unified). */
export function concat(tables: A.Table[]): A.Table {
  return concatTables(tables);
}

/** The first `n` rows of the concatenation of tables. */
export function headOf(tables: A.Table[], n: number): A.Table {
  const t = concatTables(tables);
  return t.numRows <= n ? t : concatTables([t.slice(0, n)]);
}
/** The last `n` rows of the concatenation of tables. */
export function tailOf(tables: A.Table[], n: number): A.Table {
  const t = concatTables(tables);
  return t.numRows <= n ? t : concatTables([t.slice(t.numRows - n)]);
}

/** A partition from array chunks: one column per chunk; codes + categories become strings. */
export function fromChunks(
  chunks: { data: TypedArray }[],
  names: string[],
  categories: (string[] | null)[],
): A.Table {
  const n = chunks[0]?.data.length ?? 0;
  const cols = chunks.map((c, k) => {
    const cats = categories[k];
    if (cats) return categoryColumn(c.data, cats, names[k]!);
    const dtype = dtypeOfArray(c.data);
    if (!dtype)
      throw new MetaMismatchError(`fromArrays: column '${names[k]}' chunk is not a typed array.`);
    return makeColumn({ dtype, length: n, values: c.data });
  });
  return tableOf(names, cols, n);
}

/** A partition from a 2-d chunk (C order): one column per array column. */
export function fromMatrixChunk(
  chunk: { shape: number[]; data: TypedArray },
  names: string[],
): A.Table {
  const [rows, width] = chunk.shape as [number, number];
  const ctor = chunk.data.constructor as new (n: number) => TypedArray;
  const cols = names.map((_, j) => {
    const out = allocate(ctor as any, rows) as TypedArray;
    const src = chunk.data as unknown as Float64Array;
    const dst = out as unknown as Float64Array;
    for (let i = 0; i < rows; i++) dst[i] = src[i * width + j]!;
    return makeColumn({ dtype: dtypeOfArray(out)!, length: rows, values: out });
  });
  return tableOf(names, cols, rows);
}

/**
 * The first row whose code is outside [0, m), or -1. A function of its own: inside
 * `categoryColumn`, V8 compiled the loop on stack and then threw that code away where the
 * loop ended, once for most partitions of the e-commerce data (31 deopts in 50 partitions).
 */
function firstBadCode(codes: Int32Array, m: number): number {
  for (let i = 0; i < codes.length; i++) {
    const v = codes[i]!;
    if (!(v >= 0 && v < m)) return i;
  }
  return -1;
}

/** Integer codes into `cats` as a dictionary column (narrow code arrays are used as they are). */
function categoryColumn(data: TypedArray, cats: string[], name: string): A.Data {
  const n = data.length;
  const narrow = data instanceof Int8Array || data instanceof Int16Array;
  const codes =
    narrow || data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>);
  const i = firstBadCode(codes as Int32Array, cats.length);
  if (i >= 0)
    throw new InputError(
      `fromArrays: column '${name}' has code ${codes[i]} at row ${i} of its chunk, outside the ${cats.length} categories; codes must be integers in [0, ${cats.length}).`,
    );
  const values = narrow ? codes : narrowCodes(codes as Int32Array, cats.length);
  return makeColumn({ dtype: 'string', length: n, values, dictionary: cats });
}

/** Calls a user function on each partition (as an Arrow table) and checks its result. */
export function mapPartition(
  table: A.Table,
  fn: FnRef,
  meta: Schema,
  partition: number,
  args: unknown[],
): A.Table | Promise<A.Table> {
  return withFns({ op: 'map', fn }, () => {
    const f = resolvedFn(fn) as (t: A.Table, ...a: unknown[]) => unknown;
    const out = f(table, ...args);
    const check = (v: unknown) => checkPartition(v, meta, partition, 'mapPartitions');
    return out instanceof Promise ? out.then(check) : check(out);
  }) as A.Table | Promise<A.Table>;
}

/** A user-made partition (fromDelayed) checked against meta. */
export function checkDelayed(value: unknown, meta: Schema, partition: number): A.Table {
  return checkPartition(value, meta, partition, 'fromDelayed');
}

/** Calls a user function per row (a plain object) and checks each result against the dtype. */
export function applyRowsTask(
  table: A.Table,
  fn: FnRef,
  name: string,
  dtype: Dtype,
  partition: number,
): A.Table | Promise<A.Table> {
  return withFns({ op: 'map', fn }, () => applyRows(table, fn, name, dtype, partition));
}

function applyRows(
  table: A.Table,
  fn: FnRef,
  name: string,
  dtype: Dtype,
  partition: number,
): A.Table {
  const f = resolvedFn(fn) as (row: Record<string, unknown>) => unknown;
  const schema = schemaOfArrow(table);
  const cols = schema.map((c) => columnValuesOf(table, c.name, c.dtype));
  const n = table.numRows;
  const out = new Array<unknown>(n);
  const want = dtype === 'string' ? 'string' : dtype === 'bool' ? 'boolean' : 'number';
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (let k = 0; k < schema.length; k++) row[schema[k]!.name] = cols[k]![i];
    const r = f(row);
    if (r !== null && typeof r !== want)
      throw new MetaMismatchError(
        `apply: the function returned ${typeof r} ${JSON.stringify(r)} at row ${i} of partition ${partition}, but its meta says ${dtype}. Return a ${want} (or null), or pass the meta that matches.`,
      );
    out[i] = r;
  }
  return tableOf([name], [makeColumn(packValues(out, dtype))], n);
}

function columnValuesOf(table: A.Table, name: string, dtype: Dtype): ArrayLike<unknown> {
  const v = table.getChild(name)!;
  if (dtype !== 'string' && dtype !== 'bool' && v.nullCount === 0)
    return v.toArray() as ArrayLike<unknown>;
  return Array.from({ length: v.length }, (_, i) => {
    const x = v.get(i);
    return typeof x === 'bigint' ? Number(x) : x;
  });
}
