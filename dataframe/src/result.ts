/**
 * What `compute()` gives for a frame or series: an in-memory, Arrow-backed table that
 * prints like pandas and converts to Arrow, plain records, columns or danfo.js. A groupby
 * result is indexed by its key columns.
 */
import type { TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import { type Dtype, schemaOfArrow } from './dtypes.js';
import { formatFrame, formatSeries, MAX_ROWS, type Printable, SHOWN_EACH_END } from './format.js';
import { emptyTable, makeColumn, packValues, tableOf } from './kernels/arrow-build.js';
import { dictStrings } from './kernels/batch.js';
import { compareValues } from './kernels/groupby-finish.js';

/** The values of an Arrow column as JS values (typed array when numeric and null-free). */
export function columnValues(v: A.Vector, dtype: Dtype): TypedArray | unknown[] {
  const n = v.length;
  if (dtype !== 'string' && dtype !== 'bool' && v.nullCount === 0) return v.toArray() as TypedArray;
  const out = new Array<unknown>(n);
  let i = 0;
  for (const d of v.data) {
    const dict =
      dtype === 'string' && A.DataType.isDictionary(d.type) ? dictStrings(d.dictionary) : null;
    const vals = d.values as any;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : null;
    for (let j = 0; j < d.length; j++, i++) {
      if (bitmap && ((bitmap[(d.offset + j) >> 3]! >> ((d.offset + j) & 7)) & 1) === 0)
        out[i] = null;
      else if (dict) out[i] = dict[vals[j]];
      else if (dtype === 'bool')
        out[i] = ((vals[(d.offset + j) >> 3] >> ((d.offset + j) & 7)) & 1) === 1;
      else if (dtype === 'string') out[i] = String(new A.Vector([d]).get(j));
      else out[i] = dtype === 'int64' ? Number(vals[j]) : vals[j];
    }
  }
  return out;
}

/**
 * An in-memory result table.
 * @example
 * const t = await df.head(5);
 * console.log(String(t)); t.toRecords(); t.toArrow();
 */
export class LocalTable {
  readonly table: A.Table;
  constructor(
    table: A.Table,
    /** Names of the columns that form the index (group keys), in order. */
    readonly index: readonly string[] = [],
    readonly kind: 'frame' | 'series' = 'frame',
    /** The series name (pandas' Series.name). */
    readonly name?: string,
  ) {
    this.table = table;
  }

  get numRows(): number {
    return this.table.numRows;
  }
  get length(): number {
    return this.table.numRows;
  }
  /** Value columns (index columns excluded). */
  get columns(): string[] {
    return this.table.schema.fields.map((f) => f.name).filter((n) => !this.index.includes(n));
  }
  get dtypes(): Record<string, Dtype> {
    return Object.fromEntries(schemaOfArrow(this.table).map((f) => [f.name, f.dtype]));
  }

  /** A column's values (typed array when numeric without nulls). */
  get(name: string): TypedArray | unknown[] {
    const v = this.table.getChild(name);
    if (!v)
      throw new Error(
        `No column '${name}'. Columns: ${this.table.schema.fields.map((f) => f.name).join(', ')}.`,
      );
    return columnValues(v, this.dtypes[name]!);
  }

  /** A series' values; for a frame, the first value column. */
  values(): TypedArray | unknown[] {
    return this.get(this.columns[0]!);
  }

  /** Index values: one array per index column (row numbers when there is no index). */
  indexValues(): unknown[][] {
    if (this.index.length === 0) return [Array.from({ length: this.numRows }, (_, i) => i)];
    return this.index.map((n) => Array.from(this.get(n)));
  }

  toArrow(): A.Table {
    return this.table;
  }

  /** Rows as plain objects (index columns included). */
  toRecords(): Record<string, unknown>[] {
    const names = this.table.schema.fields.map((f) => f.name);
    const cols = names.map((n) => this.get(n));
    return Array.from({ length: this.numRows }, (_, i) =>
      Object.fromEntries(names.map((n, k) => [n, (cols[k] as any)[i]])),
    );
  }

  /** Columns by name (index columns included). */
  toColumns(): Record<string, TypedArray | unknown[]> {
    return Object.fromEntries(this.table.schema.fields.map((f) => [f.name, this.get(f.name)]));
  }

  /** A danfo.js DataFrame (or Series); needs the optional peer dependency danfojs-node. */
  async toDanfo(): Promise<any> {
    const dfd = await loadDanfo();
    const cols = this.columns;
    const idx = this.index.length === 1 ? Array.from(this.get(this.index[0]!)) : undefined;
    const data = Object.fromEntries(cols.map((c) => [c, Array.from(this.get(c))]));
    if (this.kind === 'series')
      return new dfd.Series(data[cols[0]!], {
        index: idx as any,
        columns: [this.name ?? cols[0]!],
      } as any);
    return new dfd.DataFrame(data, idx ? { index: idx as any } : undefined);
  }

  /** The first n rows. */
  head(n = 5): LocalTable {
    return new LocalTable(this.table.slice(0, n), this.index, this.kind, this.name);
  }

  toString(): string {
    const n = this.numRows;
    const truncated = n > MAX_ROWS;
    const shown = truncated
      ? [...range(0, SHOWN_EACH_END), ...range(n - SHOWN_EACH_END, n)]
      : range(0, n);
    const dt = this.dtypes;
    // Only the shown rows are read: zero-copy slices of the head and the tail.
    const parts = truncated
      ? [this.table.slice(0, SHOWN_EACH_END), this.table.slice(n - SHOWN_EACH_END)]
      : [this.table];
    const pick = (name: string) =>
      parts.flatMap((t) =>
        Array.from(columnValues(t.getChild(name)!, dt[name]!) as ArrayLike<unknown>),
      );
    const p: Printable = {
      index: this.index.map((name) => ({ name, values: pick(name), dtype: dt[name]! })),
      columns: this.columns.map((name) => ({ name, values: pick(name), dtype: dt[name]! })),
      rowNumbers: shown,
      totalRows: n,
      gapAt: truncated ? SHOWN_EACH_END : -1,
    };
    if (this.kind === 'series') return formatSeries(p, this.name, dt[this.columns[0]!]!);
    return formatFrame(p);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

const DANFO = 'danfojs-node';
/** Imports danfojs-node lazily: it is an optional peer dependency. */
export async function loadDanfo(): Promise<any> {
  try {
    const m: any = await import(DANFO);
    return m.default ?? m;
  } catch (e) {
    throw new Error(
      `This needs the optional peer dependency ${DANFO}: npm install ${DANFO}. (${(e as Error).message})`,
    );
  }
}

/** An empty table with a schema. */
export function emptyResult(schema: readonly { name: string; dtype: Dtype }[]): A.Table {
  return emptyTable(schema);
}

/** Rows sorted by columns (ascending; nulls last); stable. */
export function sortLocal(t: LocalTable, by: readonly string[]): LocalTable {
  const cols = by.map((c) => t.get(c) as ArrayLike<unknown>);
  const idx = Array.from({ length: t.numRows }, (_, i) => i).sort((a, b) => {
    for (const c of cols) {
      const r = compareValues(c[a], c[b]);
      if (r !== 0) return r;
    }
    return a - b;
  });
  return new LocalTable(takeTable(t.table, Int32Array.from(idx)), t.index, t.kind, t.name);
}

/** Rows of a table at positions (any order), as a new table. */
export function takeTable(t: A.Table, rows: Int32Array): A.Table {
  const schema = schemaOfArrow(t);
  const cols = schema.map((f) => {
    const all = columnValues(t.getChild(f.name)!, f.dtype) as ArrayLike<unknown>;
    return makeColumn(
      packValues(
        Array.from(rows, (r) => all[r]),
        f.dtype,
      ),
    );
  });
  return tableOf(
    schema.map((f) => f.name),
    cols,
    rows.length,
  );
}
