/**
 * Series: one column of a frame as an expression over the frame's columns, so
 * `price.mul(units_sold)` is data, not work. Arithmetic and comparisons combine series of
 * the same frame (or of a frame it was derived from by projections) and scalars; the
 * result is evaluated inside whatever consumes it, in the same loop.
 */
import {
  COLLECTION,
  type Collection,
  type CollectionSpec,
  type ComputeOptions,
  DtypeError,
  getComputeEngine,
  InvalidArgumentError,
  TOKEN,
  toFnRef,
  tokenize,
} from '@dusk/core';
import { asDtype, type Dtype, isNumeric } from './dtypes.js';
import {
  type ArithOp,
  asScalar,
  type BinaryOp,
  type CompareOp,
  col,
  type Expr,
  exprColumns,
  exprDtype,
  type Scalar,
  type UnaryOp,
} from './expr.js';
import type { DataFrame } from './frame.js';
import { type GroupByOptions, groupAggregate } from './groupby.js';
import type { HeadOptions } from './head-tail.js';
import { Lazy } from './lazy.js';
import { inferMapDtype, type MetaArg, seriesMeta } from './meta.js';
import type { Plan } from './plan.js';
import { describeFrame, quantileGraph, type ReduceOptions, reduceSeries } from './reductions.js';
import { LocalTable } from './result.js';

function asSeries(t: LocalTable, name: string): LocalTable {
  return new LocalTable(t.table, t.index, 'series', name);
}

export type Operand = Series | Scalar;

/** Whether `expr` (over `from`'s columns) means the same over `to`'s columns. */
function carries(to: Plan, from: Plan, cols: Set<string>): boolean {
  let p: Plan = to;
  for (;;) {
    if (p === from) return true;
    if (p.kind !== 'project') return false;
    for (const c of cols) {
      const o = p.outputs.find((x) => x.name === c);
      if (o?.expr.op !== 'col' || o.expr.name !== c) return false;
    }
    p = p.input;
  }
}

/** Dtypes with few distinct values at most (dictionary codes, booleans, 8/16-bit integers). */
const NARROW_DTYPES: ReadonlySet<Dtype> = new Set<Dtype>([
  'string',
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
]);

/**
 * A lazy column.
 * @example
 * const f = df.col('temperature').map((t) => (t * 9) / 5 + 32, { meta: ['temperature', 'float64'] });
 */
export class Series implements Collection {
  readonly dtype: Dtype;
  constructor(
    readonly frame: DataFrame,
    readonly expr: Expr,
    readonly name: string,
  ) {
    this.dtype = exprDtype(expr, frame.schema);
  }

  /** This series' expression over the columns of `frame` (same rows required). */
  exprIn(frame: DataFrame, where: string): Expr {
    if (
      frame.plan === this.frame.plan ||
      carries(frame.plan, this.frame.plan, exprColumns(this.expr))
    )
      return this.expr;
    throw new InvalidArgumentError(
      `${where}: series '${this.name}' belongs to another frame (its rows need not line up with this one). ` +
        'Build it from this frame, e.g. df.col(name), or assign it to its own frame first.',
    );
  }

  private with(expr: Expr, name = this.name): Series {
    return new Series(this.frame, expr, name);
  }

  private binary(op: BinaryOp, other: Operand): Series {
    if (other instanceof Series) {
      if (
        carries(other.frame.plan, this.frame.plan, exprColumns(this.expr)) &&
        other.frame.plan !== this.frame.plan
      )
        return new Series(other.frame, { op, args: [this.expr, other.expr] }, this.name);
      return this.with({ op, args: [this.expr, other.exprIn(this.frame, op)] });
    }
    return this.with({ op, args: [this.expr, { op: 'lit', value: asScalar(other, op) }] });
  }
  private unary(op: UnaryOp): Series {
    return this.with({ op, args: [this.expr] });
  }

  add(o: Operand): Series {
    return this.binary('add', o);
  }
  sub(o: Operand): Series {
    return this.binary('sub', o);
  }
  mul(o: Operand): Series {
    return this.binary('mul', o);
  }
  div(o: Operand): Series {
    return this.binary('div', o);
  }
  mod(o: Operand): Series {
    return this.binary('mod', o);
  }
  pow(o: Operand): Series {
    return this.binary('pow', o);
  }
  floordiv(o: Operand): Series {
    return this.binary('floordiv', o);
  }
  eq(o: Operand): Series {
    return this.binary('eq', o);
  }
  ne(o: Operand): Series {
    return this.binary('ne', o);
  }
  lt(o: Operand): Series {
    return this.binary('lt', o);
  }
  le(o: Operand): Series {
    return this.binary('le', o);
  }
  gt(o: Operand): Series {
    return this.binary('gt', o);
  }
  ge(o: Operand): Series {
    return this.binary('ge', o);
  }
  and(o: Operand): Series {
    return this.binary('and', o);
  }
  or(o: Operand): Series {
    return this.binary('or', o);
  }
  not(): Series {
    return this.unary('not');
  }
  neg(): Series {
    return this.unary('neg');
  }
  abs(): Series {
    return this.unary('abs');
  }
  /** True where the value is null or NaN. */
  isna(): Series {
    return this.unary('isna');
  }
  notna(): Series {
    return this.unary('notna');
  }
  /** Whether each value is one of `values`. */
  isin(values: readonly Scalar[]): Series {
    if (values.length === 0) return this.with({ op: 'lit', value: false });
    return values.map((v) => this.eq(v)).reduce((a, b) => a.or(b));
  }

  /** Applies an arithmetic or comparison operator by name. */
  op(op: ArithOp | CompareOp, o: Operand): Series {
    return this.binary(op, o);
  }

  /** Replaces nulls (and NaN) by a value. */
  fillna(value: Scalar): Series {
    return this.with({
      op: 'fillna',
      args: [this.expr, { op: 'lit', value: asScalar(value, 'fillna') }],
    });
  }

  /** Casts to another dtype. */
  astype(dtype: string): Series {
    return this.with({ op: 'cast', args: [this.expr], dtype: asDtype(dtype, 'astype') });
  }

  /** Renames the series. */
  rename(name: string): Series {
    return this.with(this.expr, name);
  }

  /** String methods on a string (dictionary) column. */
  get str(): StringMethods {
    return new StringMethods(this);
  }

  /**
   * Applies a pure function to each value (nulls are skipped and stay null). `meta`
   * gives the output dtype, as in Dask: `['name', 'float64']`; when omitted it is
   * inferred from a sample value.
   * @example s.map((t) => (t * 9) / 5 + 32, { meta: ['temperature', 'float64'] })
   */
  map(fn: (x: any) => unknown, opts: { meta?: MetaArg } = {}): Series {
    const ref = toFnRef(fn);
    const m =
      opts.meta !== undefined
        ? seriesMeta(opts.meta, `map on '${this.name}'`)
        : { name: undefined, dtype: inferMapDtype(fn, this.dtype, this.name) };
    return this.with(
      { op: 'map', args: [this.expr], fn: ref, dtype: m.dtype },
      m.name ?? this.name,
    );
  }

  /** Same as map (pandas' Series.apply with a per-element function). */
  apply(fn: (x: any) => unknown, opts: { meta?: MetaArg } = {}): Series {
    return this.map(fn, opts);
  }

  sum(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'sum', opts);
  }
  mean(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'mean', opts);
  }
  /** The smallest value (a string for string columns). */
  min(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'min', opts);
  }
  max(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'max', opts);
  }
  /** Non-null values. */
  count(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'count', opts);
  }
  std(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'std', opts);
  }
  var(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'var', opts);
  }
  /**
   * Distinct values, nulls and NaN not counted. Strings, booleans and integers of up to 16
   * bits: the number of groups of `valueCounts`, whose grouping counts dictionary codes and
   * narrow integers in typed arrays (a Map of values per row took 260-280 ms for 10M rows
   * of a five-value column; this 20-75 ms). Wider numbers keep the Map: they may have a
   * value per row, where the grouping is no faster (int32) or twice as slow (float64).
   */
  nunique(opts: ReduceOptions = {}): Lazy<number> {
    if (!NARROW_DTYPES.has(this.dtype)) return reduceSeries(this, 'nunique', opts);
    return this.valueCounts({ splitEvery: opts.splitEvery }).count(opts);
  }
  /** Rows, nulls included. */
  size(opts: ReduceOptions = {}): Lazy<number> {
    return reduceSeries(this, 'size', opts);
  }

  /** Approximate quantile(s) (exact while partitions hold at most QUANTILE_SAMPLE rows). */
  quantile(q: number | readonly number[], opts: ReduceOptions = {}): Lazy<number | number[]> {
    const qs = typeof q === 'number' ? [q] : [...q];
    for (const x of qs)
      if (!(x >= 0 && x <= 1))
        throw new InvalidArgumentError(`quantile: q must be in [0, 1], got ${x}.`);
    const g = quantileGraph(this, qs, opts);
    return new Lazy(
      [g.key],
      g.layer,
      (v) => (typeof q === 'number' ? (v[0] as number[])[0]! : (v[0] as number[])),
      g.passes,
    );
  }

  /** count, mean, std, min, quartiles, max. */
  describe(opts: ReduceOptions = {}): Lazy<LocalTable> {
    return describeFrame(this.valueFrame(), opts);
  }

  /** Counts of each distinct value, most frequent first (nulls dropped). */
  valueCounts(opts: GroupByOptions = {}): Series {
    const name = this.name === 'count' ? 'count_' : this.name;
    const frame = this.valueFrame(name);
    const grouped = groupAggregate(
      frame,
      [name],
      [{ name: 'count', expr: null, dtype: 'int32', fn: 'size' }],
      {
        splitOut: 1,
        ...opts,
        sort: 'size-desc',
      },
    );
    return new Series(grouped, col('count'), 'count');
  }

  /** The n largest values, largest first. */
  nlargest(n = 5, opts: ReduceOptions = {}): Series {
    return new Series(this.toFrame().nlargest(n, this.name, opts), col(this.name), this.name);
  }
  /** The n smallest values, smallest first. */
  nsmallest(n = 5, opts: ReduceOptions = {}): Series {
    return new Series(this.toFrame().nsmallest(n, this.name, opts), col(this.name), this.name);
  }

  /** The first n values, computed now. */
  async head(n = 5, opts: HeadOptions & ComputeOptions = {}): Promise<LocalTable> {
    return asSeries(await this.toFrame().head(n, opts), this.name);
  }
  /** The last n values, computed now. */
  async tail(n = 5, opts: HeadOptions & ComputeOptions = {}): Promise<LocalTable> {
    return asSeries(await this.toFrame().tail(n, opts), this.name);
  }

  /** This series as a frame: its index columns (if any), then the values. */
  toFrame(name = this.name): DataFrame {
    const index = this.frame.index.filter((c) => c !== name);
    const outputs = [
      ...index.map((c) => ({ name: c, expr: col(c), dtype: this.frame.dtypes[c]! })),
      { name, expr: this.expr, dtype: this.dtype },
    ];
    return this.frame.project(outputs, 'Series');
  }

  /** This series alone as a one-column frame (what reductions read). */
  valueFrame(name = this.name): DataFrame {
    return this.frame.project([{ name, expr: this.expr, dtype: this.dtype }], 'Series');
  }

  requireNumeric(op: string): void {
    if (!isNumeric(this.dtype) && this.dtype !== 'bool')
      throw new DtypeError(
        `${op} cannot take column '${this.name}' of dtype ${this.dtype}: it needs a number or bool column.`,
      );
  }

  [COLLECTION](): CollectionSpec {
    const frame = this.toFrame();
    const spec = frame[COLLECTION]();
    return {
      ...spec,
      finalize: (values) => {
        const t = frame.finalize(values as any);
        return new LocalTable(t.table, frame.index, 'series', this.name);
      },
    };
  }

  [TOKEN](): string {
    return tokenize(this.toFrame());
  }

  /** Computes the series into an in-memory table (kind 'series'). */
  async compute(opts?: ComputeOptions): Promise<LocalTable> {
    const engine = await getComputeEngine();
    return (await engine.compute([this], opts))[0] as LocalTable;
  }

  toString(): string {
    return `Series(name=${this.name}, dtype=${this.dtype}, npartitions=${this.frame.npartitions})`;
  }
}

/** `series.str`: lower, upper, contains, len on dictionary-encoded strings (work per distinct value). */
export class StringMethods {
  constructor(private readonly s: Series) {
    if (s.dtype !== 'string')
      throw new DtypeError(`.str needs a string column; '${s.name}' has dtype ${s.dtype}.`);
  }
  private un(op: 'lower' | 'upper' | 'strlen'): Series {
    return new Series(this.s.frame, { op, args: [this.s.expr] }, this.s.name);
  }
  lower(): Series {
    return this.un('lower');
  }
  upper(): Series {
    return this.un('upper');
  }
  len(): Series {
    return this.un('strlen');
  }
  /** Whether each string contains `pat` (a regular expression when `regex`, the default). */
  contains(pat: string, opts: { case?: boolean; regex?: boolean } = {}): Series {
    return new Series(
      this.s.frame,
      {
        op: 'contains',
        args: [this.s.expr],
        pat,
        regex: opts.regex ?? true,
        case: opts.case ?? true,
      },
      this.s.name,
    );
  }
}
