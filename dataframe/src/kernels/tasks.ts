/**
 * Task functions: what partition, combine and finish tasks of dataframe graphs call.
 * Arguments are plain data (tables, specs, numbers), so they run the same on any worker.
 */
import { type FnRef, resolveFn, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import type { Dtype, Schema } from '../dtypes.js';
import { dtypeOfArray, schemaOfArrow } from '../dtypes.js';
import { MetaMismatchError } from '../errors.js';
import { concatTables, makeColumn, narrowCodes, packValues, tableOf } from './arrow-build.js';
import './codec.js';
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
import { type TopSpec, topPartition } from './topn.js';

export { finishGroups } from './groupby-finish.js';

/** Runs a fused pipeline over a partition. */
export function pipeline(
  table: A.Table,
  spec: PipelineSpec,
  partition: number,
  limit?: number,
): Promise<A.Table> {
  return runPipeline(table, spec, partition, limit ?? Infinity);
}

/** Keeps the named columns (zero copy). */
export function selectColumns(table: A.Table, names: string[]): A.Table {
  return table.select(names);
}

export function reducePart(table: A.Table, spec: ReduceSpec, partition: number): Promise<Partial> {
  return reducePartition(table, spec, partition);
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
): Promise<GroupPartial> {
  return groupPartition(table, spec, partition);
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
): Promise<A.Table> {
  return topPartition(table, pipe, spec, partition);
}
export function topCombine(tables: A.Table[], spec: TopSpec): Promise<A.Table> {
  const t = concatTables(tables);
  const pipe: PipelineSpec = {
    filter: null,
    outputs: t.schema.fields.map((f) => ({
      name: f.name,
      expr: { op: 'col', name: f.name },
      dtype: schemaOfArrow(t.schema).find((x) => x.name === f.name)!.dtype,
    })),
  };
  return topPartition(t, pipe, spec, 0);
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
    if (cats) {
      const codes =
        c.data instanceof Int32Array ? c.data : Int32Array.from(c.data as ArrayLike<number>);
      return makeColumn({
        dtype: 'string',
        length: n,
        values: narrowCodes(codes, cats.length),
        dictionary: cats,
      });
    }
    const dtype = dtypeOfArray(c.data);
    if (!dtype)
      throw new MetaMismatchError(`fromArrays: column '${names[k]}' chunk is not a typed array.`);
    return makeColumn({ dtype, length: n, values: c.data });
  });
  return tableOf(names, cols, n);
}

/** Checks a partition made by user code against the frame's meta. */
export function checkPartition(
  value: unknown,
  meta: Schema,
  partition: number,
  what: string,
): A.Table {
  const table = toTable(value, meta, partition, what);
  const got = schemaOfArrow(table);
  for (const f of meta) {
    const g = got.find((x) => x.name === f.name);
    if (!g)
      throw new MetaMismatchError(
        `${what}: partition ${partition} has no column '${f.name}' (it has ${got.map((x) => `'${x.name}'`).join(', ') || 'none'}). Return the columns the meta names, or pass the meta that matches.`,
      );
    if (g.dtype !== f.dtype)
      throw new MetaMismatchError(
        `${what}: column '${f.name}' of partition ${partition} is ${g.dtype}, but the meta says ${f.dtype}. Cast it in the function, or pass meta with '${f.name}': '${g.dtype}'.`,
      );
  }
  return got.length === meta.length ? table : table.select(meta.map((f) => f.name));
}

function toTable(value: unknown, meta: Schema, partition: number, what: string): A.Table {
  if (value instanceof A.Table)
    return value.batches.length > 1 ? concatTables([value]) : normalizeStrings(value);
  if (value && typeof (value as any).toArrow === 'function') return (value as any).toArrow();
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    if (meta.length !== 1)
      throw new MetaMismatchError(
        `${what}: partition ${partition} returned one column but the meta has ${meta.length}.`,
      );
    return columnsTable({ [meta[0]!.name]: value }, meta);
  }
  if (value && typeof value === 'object')
    return columnsTable(value as Record<string, unknown>, meta);
  throw new MetaMismatchError(
    `${what}: partition ${partition} returned ${value === undefined ? 'undefined' : typeof value}; return an Arrow table, a result table, or { column: values }.`,
  );
}

function columnsTable(cols: Record<string, unknown>, meta: Schema): A.Table {
  const names = Object.keys(cols);
  const data = names.map((name) => {
    const v = cols[name] as any;
    const dtype: Dtype = dtypeOfArray(v) ?? meta.find((f) => f.name === name)?.dtype ?? 'float64';
    if (dtypeOfArray(v)) return makeColumn({ dtype, length: v.length, values: v });
    return makeColumn(packValues(v as unknown[], dtype));
  });
  return tableOf(names, data);
}

function normalizeStrings(t: A.Table): A.Table {
  const plain = t.schema.fields.some((f) => A.DataType.isUtf8(f.type));
  if (!plain) return t;
  const cols = t.schema.fields.map((f) =>
    A.DataType.isUtf8(f.type)
      ? makeColumn(packValues(t.getChild(f.name)!.toArray() as unknown[], 'string'))
      : t.getChild(f.name)!.data[0]!,
  );
  return tableOf(
    t.schema.fields.map((f) => f.name),
    cols,
    t.numRows,
  );
}

/** Calls a user function on each partition (as an Arrow table) and checks its result. */
export async function mapPartition(
  table: A.Table,
  fn: FnRef,
  meta: Schema,
  partition: number,
  args: unknown[],
): Promise<A.Table> {
  const f = (await resolveFn(fn)) as (t: A.Table, ...a: unknown[]) => unknown;
  return checkPartition(await f(table, ...args), meta, partition, 'mapPartitions');
}

/** A user-made partition (fromDelayed) checked against meta. */
export function checkDelayed(value: unknown, meta: Schema, partition: number): A.Table {
  return checkPartition(value, meta, partition, 'fromDelayed');
}

/** A sorted sample of a partition's non-null values with weights (all values when few). */
export async function quantilePart(
  table: A.Table,
  spec: PipelineSpec,
  partition: number,
  sample: number,
): Promise<{ values: Float64Array; weights: Float64Array }> {
  const t = await runPipeline(table, spec, partition);
  const v = t.getChild(spec.outputs[0]!.name)!;
  const all: number[] = [];
  for (const d of v.data) {
    const vals = d.values as Float64Array;
    for (let i = 0; i < d.length; i++) {
      const ok =
        d.nullCount === 0 ||
        ((d.nullBitmap![(d.offset + i) >> 3]! >> ((d.offset + i) & 7)) & 1) === 1;
      if (ok && !Number.isNaN(vals[i]!)) all.push(vals[i]!);
    }
  }
  const sorted = Float64Array.from(all).sort();
  if (sorted.length <= sample)
    return { values: sorted, weights: new Float64Array(sorted.length).fill(1) };
  const values = new Float64Array(sample);
  const weights = new Float64Array(sample).fill(sorted.length / sample);
  for (let i = 0; i < sample; i++)
    values[i] = sorted[Math.floor(((i + 0.5) * sorted.length) / sample)]!;
  return { values, weights };
}

/** Merges weighted samples (kept whole: they are small). */
export function quantileCombine(parts: { values: Float64Array; weights: Float64Array }[]): {
  values: Float64Array;
  weights: Float64Array;
} {
  const n = parts.reduce((a, p) => a + p.values.length, 0);
  const idx = new Array<[number, number]>(n);
  let o = 0;
  for (const p of parts)
    for (let i = 0; i < p.values.length; i++) idx[o++] = [p.values[i]!, p.weights[i]!];
  idx.sort((a, b) => a[0] - b[0]);
  return {
    values: Float64Array.from(idx, (x) => x[0]),
    weights: Float64Array.from(idx, (x) => x[1]),
  };
}

/** Quantiles with linear interpolation (pandas' default), exact when all weights are 1. */
export function quantileFinish(
  parts: { values: Float64Array; weights: Float64Array }[],
  qs: number[],
): number[] {
  const { values, weights } = quantileCombine(parts);
  const total = weights.reduce((a, w) => a + w, 0);
  if (values.length === 0) return qs.map(() => Number.NaN);
  // Position of each sample as the mean rank it stands for.
  const at = (rank: number) => {
    let cum = 0;
    for (let i = 0; i < values.length; i++) {
      cum += weights[i]!;
      if (rank < cum - 1e-9) return values[i]!;
    }
    return values[values.length - 1]!;
  };
  return qs.map((q) => {
    const pos = q * (total - 1);
    const lo = Math.floor(pos);
    const a = at(lo);
    const b = at(Math.min(lo + 1, total - 1));
    return a + (b - a) * (pos - lo);
  });
}

/** Calls a user function per row (a plain object) and checks each result against the dtype. */
export async function applyRowsTask(
  table: A.Table,
  fn: FnRef,
  name: string,
  dtype: Dtype,
  partition: number,
): Promise<A.Table> {
  const f = (await resolveFn(fn)) as (row: Record<string, unknown>) => unknown;
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
