/**
 * Frames from data in memory: columns of typed arrays or plain arrays, an Arrow table,
 * records, a danfo.js frame. The data is laid out once (strings dictionary-encoded with
 * one dictionary for all partitions) and partitions are zero-copy slices of it, each its
 * own graph node, so no task carries the whole input.
 */
import {
  InputError,
  InvalidArgumentError,
  type TypedArray,
  tokenize,
  uniqueToken,
} from '@dusk/core';
import type * as A from 'apache-arrow';
import { checkUnique, type Dtype, dtypeOfArray, type Schema, schemaOfArrow } from './dtypes.js';
import { DataFrame } from './frame.js';
import {
  concatTables,
  makeColumn,
  packValues,
  shareTable,
  tableOf,
} from './kernels/arrow-build.js';
import { checkPartition } from './kernels/tasks.js';

export interface PartitionOptions {
  /** Number of partitions (default 1). */
  npartitions?: number;
  /** Rows per partition (instead of npartitions). */
  chunksize?: number;
  /** Rows of each partition, explicitly (instead of npartitions or chunksize). */
  sizes?: readonly number[];
  /** Name shown in explain() and used as the key prefix. */
  name?: string;
  /**
   * Move large buffers that are not on shared memory there, once (default true), so the
   * thread scheduler reads partitions without copying them on every compute. With false
   * the caller's buffers are used as they are.
   */
  shared?: boolean;
}

/** Above this many values, inputs are tokenized by identity rather than hashed. */
const HASH_MAX_VALUES = 100_000;

/** Partition boundaries for n rows. */
export function boundaries(n: number, opts: PartitionOptions): number[] {
  if (opts.sizes !== undefined) {
    if ((opts.npartitions ?? opts.chunksize) !== undefined)
      throw new InvalidArgumentError('Pass sizes alone, without npartitions or chunksize.');
    const sum = opts.sizes.reduce((a, b) => a + b, 0);
    if (
      opts.sizes.some((x) => !Number.isInteger(x) || x < 0) ||
      sum !== n ||
      opts.sizes.length === 0
    )
      throw new InvalidArgumentError(
        `sizes must be non-negative integers adding up to the ${n} rows; got [${opts.sizes.join(', ')}].`,
      );
    const out = [0];
    for (const x of opts.sizes) out.push(out[out.length - 1]! + x);
    return out;
  }
  if (opts.npartitions !== undefined && opts.chunksize !== undefined)
    throw new InvalidArgumentError('Pass npartitions or chunksize, not both.');
  let size: number;
  if (opts.chunksize !== undefined) {
    if (!Number.isInteger(opts.chunksize) || opts.chunksize < 1)
      throw new InvalidArgumentError(
        `chunksize must be a positive integer, got ${opts.chunksize}.`,
      );
    size = opts.chunksize;
  } else {
    const p = opts.npartitions ?? 1;
    if (!Number.isInteger(p) || p < 1)
      throw new InvalidArgumentError(`npartitions must be a positive integer, got ${p}.`);
    size = Math.max(1, Math.ceil(n / p));
    const out = [0];
    // Exactly p partitions (some may be empty when n < p), as Dask's from_pandas(npartitions=p) aims.
    for (let i = 1; i <= p; i++) out.push(Math.min(n, Math.round((i * n) / p)));
    return out;
  }
  const out = [0];
  for (let s = size; s < n; s += size) out.push(s);
  out.push(n);
  return n === 0 ? [0, 0] : out;
}

/** A frame over zero-copy slices of one table. */
export function frameFromTable(
  table: A.Table,
  opts: PartitionOptions,
  label: string,
  token: string,
): DataFrame {
  const one = table.batches.length > 1 ? concatTables([table]) : table;
  const whole = opts.shared === false ? one : shareTable(one);
  const b = boundaries(whole.numRows, opts);
  const tables: A.Table[] = [];
  for (let i = 0; i + 1 < b.length; i++) tables.push(whole.slice(b[i]!, b[i + 1]!));
  const name = `${opts.name ?? label}-${token}`;
  const schema = schemaOfArrow(whole);
  return new DataFrame({
    kind: 'source',
    source: { type: 'literal', name, tables, label },
    schema,
    lengths: tables.map((t) => t.numRows),
  });
}

function tokenOf(values: unknown[]): string {
  let count = 0;
  for (const v of values)
    count += ArrayBuffer.isView(v) ? 0 : ((v as ArrayLike<unknown>)?.length ?? 0);
  return count > HASH_MAX_VALUES ? uniqueToken() : tokenize(...values);
}

function inferDtype(values: ArrayLike<unknown>, name: string): Dtype {
  let kind: string | undefined;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const t =
      typeof v === 'number'
        ? 'number'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v === 'string'
            ? 'string'
            : typeof v;
    if (t !== 'number' && t !== 'bool' && t !== 'string')
      throw new InputError(
        `Column '${name}' holds a value of type ${t} at row ${i}; columns hold numbers, booleans, strings or null.`,
      );
    if (kind && kind !== t)
      throw new InputError(
        `Column '${name}' mixes ${kind} and ${t} values (row ${i}); give one type per column, or cast it first.`,
      );
    kind = t;
    if (t === 'number' && !(Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31 - 1))
      allInt = false;
  }
  if (kind === 'string') return 'string';
  if (kind === 'bool') return 'bool';
  return kind === 'number' && allInt ? 'int32' : 'float64';
}

/** An Arrow column from a typed array (zero copy) or plain values. */
function columnFrom(name: string, values: unknown, dtype?: Dtype): A.Data {
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    const d = dtypeOfArray(values);
    if (!d)
      throw new InputError(
        `Column '${name}' is a ${values.constructor.name}, which is not a supported typed array.`,
      );
    if (dtype === undefined || dtype === d)
      return makeColumn({
        dtype: d,
        length: (values as TypedArray).length,
        values: values as TypedArray,
      });
    return makeColumn(packValues(Array.from(values as unknown as ArrayLike<number>), dtype));
  }
  if (!Array.isArray(values))
    throw new InputError(
      `Column '${name}' must be a typed array or an array, got ${typeof values}.`,
    );
  return makeColumn(packValues(values, dtype ?? inferDtype(values, name)));
}

/**
 * A frame from columns.
 * @example
 * const df = fromColumns({ price: new Float64Array([5, 10]), category: ['Books', 'Toys'] }, { npartitions: 2 });
 */
export function fromColumns(
  columns: Record<string, unknown>,
  opts: PartitionOptions & { dtypes?: Record<string, Dtype> } = {},
): DataFrame {
  const names = Object.keys(columns);
  checkUnique(names, 'fromColumns');
  const lengths = names.map((n) => (columns[n] as ArrayLike<unknown>)?.length);
  const n = lengths[0] ?? 0;
  names.forEach((name, k) => {
    if (lengths[k] !== n)
      throw new InputError(
        `fromColumns: column '${name}' has ${lengths[k]} values but '${names[0]}' has ${n}; columns must have equal lengths.`,
      );
  });
  const table = tableOf(
    names,
    names.map((name) => columnFrom(name, columns[name], opts.dtypes?.[name])),
    n,
  );
  return frameFromTable(
    table,
    opts,
    'from-columns',
    tokenOf(names.map((k) => columns[k])).concat(tokenize(names, opts.dtypes ?? null)),
  );
}

/** A frame from an Arrow table (plain utf8 columns are dictionary-encoded). @example fromArrow(table, { npartitions: 4 }) */
export function fromArrow(table: A.Table, opts: PartitionOptions = {}): DataFrame {
  const checked = checkPartition(table, schemaOfArrow(table), 0, 'fromArrow');
  return frameFromTable(checked, opts, 'from-arrow', uniqueToken());
}

/** A frame from plain objects; columns are the union of their keys. @example fromRecords([{ a: 1 }, { a: 2 }]) */
export function fromRecords(
  records: readonly Record<string, unknown>[],
  opts: PartitionOptions & { columns?: string[] } = {},
): DataFrame {
  const names = opts.columns ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
  const cols: Record<string, unknown[]> = {};
  for (const name of names) cols[name] = records.map((r) => r[name] ?? null);
  return fromColumns(cols, opts);
}

const DANFO_DTYPES: Record<string, Dtype> = {
  float32: 'float64',
  int32: 'int32',
  string: 'string',
  boolean: 'bool',
};

/** A frame from a danfo.js DataFrame (danfojs-node is an optional peer dependency). */
export function fromDanfo(
  df: { columns: string[]; dtypes: string[]; column(name: string): { values: unknown[] } },
  opts: PartitionOptions = {},
): DataFrame {
  if (!df || !Array.isArray(df.columns) || typeof df.column !== 'function')
    throw new InputError('fromDanfo expects a danfo.js DataFrame.');
  const cols: Record<string, unknown[]> = {};
  const dtypes: Record<string, Dtype> = {};
  df.columns.forEach((name, k) => {
    cols[name] = df.column(name).values;
    dtypes[name] = DANFO_DTYPES[df.dtypes[k]!] ?? inferDtype(cols[name]!, name);
  });
  return fromColumns(cols, { ...opts, dtypes, name: opts.name ?? 'from-danfo' });
}

/** The schema of a frame, for meta arguments. */
export function metaOf(df: DataFrame): Schema {
  return df.schema;
}
