/**
 * DataFrame: a lazy, partitioned table, like `dask.dataframe.DataFrame`. It is a logical
 * plan (source, filters, projections) plus the index columns of a grouped result; every
 * method returns a new frame, and `compute()` lowers the optimized plan to a graph.
 * Methods are short delegations to the modules that define each operation.
 */
import {
  COLLECTION,
  type Collection,
  type CollectionSpec,
  type ComputeOptions,
  getComputeEngine,
  InvalidArgumentError,
  type Key,
  type Layer,
  TOKEN,
  tokenize,
} from '@dusk/core';
import * as A from 'apache-arrow';
import { asDtype, checkUnique, type Dtype, names, type Schema } from './dtypes.js';
import { checkColumn } from './errors.js';
import { asScalar, col, type Expr, exprDtype, type Scalar } from './expr.js';
import { GroupBy, type GroupByOptions } from './groupby.js';
import { edgeFrame, type HeadOptions } from './head-tail.js';
import { joinTables, shareTable } from './kernels/arrow-build.js';
import type { OutputSpec } from './kernels/spec.js';
import type { Lazy } from './lazy.js';
import { composePasses } from './lazy.js';
import { lowerFrame } from './lower.js';
import { applyRows, type MapPartitionsOptions, mapPartitions } from './map-partitions.js';
import type { MetaArg } from './meta.js';
import {
  type Normal,
  normalToString,
  npartitionsOf,
  optimizePlan,
  type Plan,
  planSchema,
  planToString,
  type Source,
} from './plan.js';
import { describeFrame, type ReduceOptions, reduceFrame, reduceSeries } from './reductions.js';
import { emptyResult, LocalTable, sortLocal } from './result.js';
import { Series } from './series.js';
import { topFrame } from './topn.js';

/** Something that can become a column: a series of this frame, or a scalar. */
export type ColumnLike = Series | Scalar;

/** Options of the frame a grouped result becomes. */
export interface FrameOptions {
  /** Columns forming the index (group keys). */
  readonly index?: readonly string[];
  /** Sort the computed result by these columns (a groupby with several output partitions). */
  readonly sortOnCompute?: readonly string[];
}

export class DataFrame implements Collection {
  readonly index: readonly string[];
  readonly sortOnCompute: readonly string[];
  private normalCache?: Normal;

  constructor(
    readonly plan: Plan,
    opts: FrameOptions = {},
  ) {
    this.index = opts.index ?? [];
    this.sortOnCompute = opts.sortOnCompute ?? [];
  }

  /** The schema ("meta"): column names and dtypes. */
  get schema(): Schema {
    return planSchema(this.plan);
  }
  get columns(): string[] {
    return names(this.schema);
  }
  get dtypes(): Record<string, Dtype> {
    return Object.fromEntries(this.schema.map((f) => [f.name, f.dtype]));
  }
  get npartitions(): number {
    return npartitionsOf(this.plan);
  }

  /** The plan in normal form (filters at the source, one projection). */
  normal(): Normal {
    this.normalCache ??= optimizePlan(this.plan);
    return this.normalCache;
  }

  /** The same frame over a new plan, keeping the index. */
  withPlan(plan: Plan, opts: FrameOptions = {}): DataFrame {
    const index = (opts.index ?? this.index).filter((c) =>
      planSchema(plan).some((f) => f.name === c),
    );
    return new DataFrame(plan, { index, sortOnCompute: opts.sortOnCompute ?? this.sortOnCompute });
  }

  /** Checks a column exists; the error lists the frame's columns. */
  checkColumn(name: string): void {
    checkColumn(name, this.columns);
  }

  /** A column as a series. @example df.col('price').mul(df.col('units_sold')) */
  col(name: string): Series {
    this.checkColumn(name);
    return new Series(this, col(name), name);
  }

  /** Columns by property: `df.c.price`. */
  get c(): Record<string, Series> {
    return new Proxy({} as Record<string, Series>, {
      get: (_t, p) => (typeof p === 'string' ? this.col(p) : undefined),
      has: (_t, p) => typeof p === 'string' && this.columns.includes(p),
      ownKeys: () => this.columns,
      getOwnPropertyDescriptor: (_t, p) =>
        typeof p === 'string' && this.columns.includes(p)
          ? { enumerable: true, configurable: true }
          : undefined,
    });
  }

  /** The expression of a column-like value over this frame's columns. */
  exprOf(v: ColumnLike, where: string): Expr {
    if (v instanceof Series) return v.exprIn(this, where);
    return { op: 'lit', value: asScalar(v, where) };
  }

  /** Adds or replaces columns. @example df.assign({ total_sales: df.col('price').mul(df.col('units_sold')) }) */
  assign(columns: Record<string, ColumnLike | ((df: DataFrame) => ColumnLike)>): DataFrame {
    const outputs: OutputSpec[] = this.schema.map((f) => ({
      name: f.name,
      expr: col(f.name),
      dtype: f.dtype,
    }));
    for (const [name, v] of Object.entries(columns)) {
      const value = typeof v === 'function' ? v(this) : v;
      const expr = this.exprOf(value, `assign '${name}'`);
      const out: OutputSpec = { name, expr, dtype: exprDtype(expr, this.schema) };
      const at = outputs.findIndex((o) => o.name === name);
      if (at >= 0) outputs[at] = out;
      else outputs.push(out);
    }
    return this.project(outputs, 'Assign');
  }

  /** Keeps the named columns, in that order. */
  select(columns: readonly string[]): DataFrame {
    for (const c of columns) this.checkColumn(c);
    checkUnique(columns, 'select');
    return this.project(
      columns.map((c) => ({ name: c, expr: col(c), dtype: this.dtypes[c]! })),
      'Select',
    );
  }

  /** Removes columns. */
  drop(columns: string | readonly string[]): DataFrame {
    const list = typeof columns === 'string' ? [columns] : columns;
    for (const c of list) this.checkColumn(c);
    return this.select(this.columns.filter((c) => !list.includes(c)));
  }

  /** Renames columns. @example df.rename({ temperature: 'celsius' }) */
  rename(mapping: Record<string, string>): DataFrame {
    for (const c of Object.keys(mapping)) this.checkColumn(c);
    const outputs = this.schema.map((f) => ({
      name: mapping[f.name] ?? f.name,
      expr: col(f.name),
      dtype: f.dtype,
    }));
    checkUnique(
      outputs.map((o) => o.name),
      'rename',
    );
    const index = this.index.map((c) => mapping[c] ?? c);
    return this.withPlan(
      { kind: 'project', input: this.plan, outputs, label: 'Rename' },
      { index },
    );
  }

  /** Casts columns. @example df.astype({ units_sold: 'float64' }) */
  astype(dtypes: Record<string, string> | string): DataFrame {
    const map =
      typeof dtypes === 'string'
        ? Object.fromEntries(this.columns.map((c) => [c, dtypes]))
        : dtypes;
    for (const c of Object.keys(map)) this.checkColumn(c);
    return this.mapColumns(
      (name) =>
        name in map ? this.col(name).astype(asDtype(map[name], `astype '${name}'`)) : undefined,
      'AsType',
    );
  }

  /** Fills nulls (and NaN) with a value, per column or for all. */
  fillna(value: Scalar | Record<string, Scalar>): DataFrame {
    const per = value !== null && typeof value === 'object' ? value : null;
    if (per) for (const c of Object.keys(per)) this.checkColumn(c);
    return this.mapColumns((name, dtype) => {
      const v = per ? per[name] : value;
      if (v === undefined || (per === null && (typeof v === 'string') !== (dtype === 'string')))
        return undefined;
      return this.col(name).fillna(v as Scalar);
    }, 'FillNA');
  }

  /** A frame of booleans: true where a value is null or NaN. */
  isna(): DataFrame {
    return this.mapColumns((name) => this.col(name).isna(), 'IsNA');
  }

  private mapColumns(
    f: (name: string, dtype: Dtype) => Series | undefined,
    label: string,
  ): DataFrame {
    const outputs = this.schema.map((fl) => {
      const s = f(fl.name, fl.dtype);
      if (!s) return { name: fl.name, expr: col(fl.name), dtype: fl.dtype };
      return { name: fl.name, expr: s.exprIn(this, label), dtype: s.dtype };
    });
    return this.project(outputs, label);
  }

  /** A projection node over this frame. */
  project(outputs: readonly OutputSpec[], label = 'Project'): DataFrame {
    checkUnique(
      outputs.map((o) => o.name),
      label,
    );
    return this.withPlan({ kind: 'project', input: this.plan, outputs, label });
  }

  /** Rows where a boolean series is true (nulls count as false). @example df.filter(df.col('x').gt(0.5)) */
  filter(mask: Series): DataFrame {
    const predicate = mask.exprIn(this, 'filter');
    const dtype = exprDtype(predicate, this.schema);
    if (dtype !== 'bool')
      throw new InvalidArgumentError(
        `filter needs a bool series; got one of dtype ${dtype}. Compare it first, e.g. .gt(0).`,
      );
    return this.withPlan({ kind: 'filter', input: this.plan, predicate });
  }

  /** Groups rows by key columns. @example df.groupby('category').col('total_sales').sum() */
  groupby(keys: string | readonly string[], opts: GroupByOptions = {}): GroupBy {
    return new GroupBy(this, typeof keys === 'string' ? [keys] : keys, opts);
  }

  /** The n rows with the largest values of `columns`, largest first. @example df.nlargest(5, 'total_sales') */
  nlargest(n: number, columns: string | readonly string[], opts: ReduceOptions = {}): DataFrame {
    return topFrame(this, n, columns, true, opts);
  }
  /** The n rows with the smallest values of `columns`, smallest first. */
  nsmallest(n: number, columns: string | readonly string[], opts: ReduceOptions = {}): DataFrame {
    return topFrame(this, n, columns, false, opts);
  }

  /** The first n rows, computed now (reads only the partitions needed), like Dask. */
  head(n = 5, opts: HeadOptions & ComputeOptions = {}): Promise<LocalTable> {
    return this.headFrame(n, opts).compute(opts);
  }
  /** The last n rows, computed now. */
  tail(n = 5, opts: HeadOptions & ComputeOptions = {}): Promise<LocalTable> {
    return this.tailFrame(n, opts).compute(opts);
  }
  /** The first n rows as a lazy one-partition frame. */
  headFrame(n = 5, opts: HeadOptions = {}): DataFrame {
    return edgeFrame(this, n, false, opts);
  }
  /** The last n rows as a lazy one-partition frame. */
  tailFrame(n = 5, opts: HeadOptions = {}): DataFrame {
    return edgeFrame(this, n, true, opts);
  }

  /** Calls `fn(partition)` on each partition (see MapPartitionsOptions for meta). */
  mapPartitions(
    fn: (t: A.Table, ...a: any[]) => unknown,
    opts: MapPartitionsOptions = {},
  ): DataFrame {
    return mapPartitions(this, fn, opts);
  }
  /** Calls `fn(row)` for each row; meta names the output. */
  apply(fn: (row: any) => unknown, opts: { meta?: MetaArg; axis?: 1 } = {}): Series {
    return applyRows(this, fn, opts);
  }

  sum(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'sum', opts);
  }
  mean(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'mean', opts);
  }
  min(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'min', opts);
  }
  max(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'max', opts);
  }
  count(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'count', opts);
  }
  std(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'std', opts);
  }
  var(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'var', opts);
  }
  nunique(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return reduceFrame(this, 'nunique', opts);
  }
  /** Statistics of the numeric columns (count, mean, std, min, quartiles, max). */
  describe(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return describeFrame(this, opts);
  }
  /** The number of rows. */
  len(opts: ReduceOptions = {}): Lazy<number> {
    if (this.columns.length === 0)
      throw new InvalidArgumentError('len() of a frame without columns.');
    return reduceSeries<number>(this.col(this.columns[0]!), 'size', opts);
  }

  /** The logical plan and the optimized one the partition tasks run. */
  explain(): string {
    return `== logical plan ==\n${planToString(this.plan)}\n== optimized ==\n${normalToString(this.normal())}`;
  }

  [COLLECTION](): CollectionSpec {
    const { keys, layer, passes } = lowerFrame(this.normal());
    return {
      layer,
      keys,
      finalize: (values) => this.finalize(values as A.Table[]),
      rebuild: (l) => persisted(this, l, keys),
      optimize: composePasses(passes),
    };
  }

  /** Turns computed partitions into the result table. */
  finalize(parts: A.Table[]): LocalTable {
    const t = parts.length > 0 ? joinTables(parts) : emptyResult(this.schema);
    const local = new LocalTable(t, this.index);
    return this.sortOnCompute.length > 0 ? sortLocal(local, this.sortOnCompute) : local;
  }

  [TOKEN](): string {
    return tokenize(this.normal().pipeline, this.normal().source.source.name, this.index);
  }

  /** Computes the frame into an in-memory table. */
  async compute(opts?: ComputeOptions): Promise<LocalTable> {
    const engine = await getComputeEngine();
    return (await engine.compute([this], opts))[0] as LocalTable;
  }

  /** Computes the partitions and returns a frame over them (kept in memory). */
  async persist(opts?: ComputeOptions): Promise<DataFrame> {
    const engine = await getComputeEngine();
    return (await engine.persist([this], opts))[0] as DataFrame;
  }

  toString(): string {
    return `DataFrame(npartitions=${this.npartitions}, columns=[${this.schema.map((f) => `${f.name}: ${f.dtype}`).join(', ')}])`;
  }
}

/**
 * A frame over persisted partitions: in-memory tables become a literal source again, their
 * small buffers copied to shared memory once (large ones are there already when threads or
 * sync made them), so thread workers keep the partitions between computes instead of
 * getting them encoded with every compute.
 */
function persisted(frame: DataFrame, l: Layer, keys: readonly Key[]): DataFrame {
  const tables = keys.map((k) => (l.tasks.get(k) as { value?: unknown } | undefined)?.value);
  const schema = frame.schema;
  if (tables.every((t) => t instanceof A.Table)) {
    const name = `persist-${tokenize(l.name)}`;
    const ts = (tables as A.Table[]).map((t) => shareTable(t, 'small'));
    const source: Source = { type: 'literal', name, tables: ts, label: 'persisted' };
    return new DataFrame(
      { kind: 'source', source, schema, lengths: ts.map((t) => t.numRows) },
      { index: frame.index, sortOnCompute: frame.sortOnCompute },
    );
  }
  const source: Source = { type: 'graph', name: l.name, layer: l, keys, label: 'persisted' };
  return new DataFrame(
    { kind: 'source', source, schema, lengths: null },
    { index: frame.index, sortOnCompute: frame.sortOnCompute },
  );
}
