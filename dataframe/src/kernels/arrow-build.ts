/**
 * Making Arrow columns and tables from typed arrays without copying them, and putting
 * tables together: one place that knows how Dusk lays out a partition (strings as
 * dictionaries, validity bitmaps only when there are nulls).
 */
import { allocate, mapPacked, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import { arrowType, type Dtype, indexTypeFor, isNumeric } from '../dtypes.js';
import { dictStrings } from './batch.js';

const dictVectors = new WeakMap<readonly string[], A.Vector<A.Utf8>>();
/** Small dictionaries arriving in messages are shared by content (a new array every time). */
const byContent = new Map<string, A.Vector<A.Utf8>>();
const SMALL_DICT_CHARS = 4096;
const MAX_SHARED_DICTS = 1024;

/** The Utf8 vector of a dictionary, one per strings array (so equal dictionaries stay identical). */
export function dictionaryVector(strings: readonly string[]): A.Vector<A.Utf8> {
  let v = dictVectors.get(strings);
  if (v) return v;
  // JSON keys are unambiguous (strings may contain any separator).
  const key = strings.length < 256 ? JSON.stringify(strings) : '';
  const small = key !== '' && key.length < SMALL_DICT_CHARS;
  v = small ? byContent.get(key) : undefined;
  if (!v) {
    v = A.vectorFromArray(strings as string[], new A.Utf8());
    // The reverse cache lets kernels read this dictionary without decoding it again.
    dictStrings(v);
    if (small) {
      if (byContent.size >= MAX_SHARED_DICTS) byContent.clear();
      byContent.set(key, v);
    }
  }
  dictVectors.set(strings, v);
  return v;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let x = b; x; x >>= 1) c += x & 1;
  return c;
});

/** Counts zero bits among the first `n` bits of a validity bitmap (a byte at a time). */
export function countNulls(bitmap: Uint8Array, n: number): number {
  const full = n >> 3;
  let valid = 0;
  for (let i = 0; i < full; i++) valid += POPCOUNT[bitmap[i]!]!;
  for (let i = full << 3; i < n; i++) valid += (bitmap[i >> 3]! >> (i & 7)) & 1;
  return n - valid;
}

export interface ColumnParts {
  dtype: Dtype;
  length: number;
  /** Typed values (numbers), a bit-packed Uint8Array (bool) or codes (string). */
  values: TypedArray;
  validity?: Uint8Array | null;
  /** Nulls in `validity`, when the caller counted them. */
  nullCount?: number;
  dictionary?: readonly string[];
}

/** An Arrow Data for one column; the buffers are used as they are (no copy). */
export function makeColumn(p: ColumnParts): A.Data {
  const nullCount = p.validity ? (p.nullCount ?? countNulls(p.validity, p.length)) : 0;
  const nullBitmap = nullCount > 0 ? p.validity! : undefined;
  if (p.dtype === 'string') {
    const dict = p.dictionary ?? [];
    const type = new A.Dictionary(new A.Utf8(), indexTypeOfArray(p.values));
    return A.makeData({
      type,
      length: p.length,
      data: p.values as any,
      nullBitmap,
      nullCount,
      dictionary: dictionaryVector(dict),
    });
  }
  return A.makeData({
    type: arrowType(p.dtype) as any,
    length: p.length,
    data: p.values as any,
    nullBitmap,
    nullCount,
  });
}

function indexTypeOfArray(a: TypedArray): A.Int8 | A.Int16 | A.Int32 {
  if (a instanceof Int8Array) return new A.Int8();
  if (a instanceof Int16Array) return new A.Int16();
  return new A.Int32();
}

/** A single-batch table from named Data columns of equal length. */
export function tableOf(
  names: readonly string[],
  columns: readonly A.Data[],
  length?: number,
): A.Table {
  const n = length ?? columns[0]?.length ?? 0;
  const fields = mapPacked(columns, (d, i) => new A.Field(names[i]!, d.type, true));
  const schema = new A.Schema(fields);
  const struct = A.makeData({
    type: new A.Struct(fields),
    length: n,
    children: columns as A.Data[],
    nullCount: 0,
  });
  return new A.Table(schema, [new A.RecordBatch(schema, struct)]);
}

/** Dictionary-encodes strings (null/undefined stay null) with the smallest index type. */
export function encodeStrings(
  values: ArrayLike<unknown>,
  dictionary?: readonly string[],
): ColumnParts {
  const n = values.length;
  const dict: string[] = dictionary ? [...dictionary] : [];
  const pos = new Map<string, number>(dict.map((s, i) => [s, i]));
  const codes = new Int32Array(n);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity ??= new Uint8Array((n + 7) >> 3).fill(255);
      validity[i >> 3]! &= ~(1 << (i & 7));
      continue;
    }
    const s = String(v);
    let c = pos.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      pos.set(s, c);
    }
    codes[i] = c;
  }
  return {
    dtype: 'string',
    length: n,
    values: narrowCodes(codes, dict.length),
    validity,
    dictionary: dict,
  };
}

/** Codes in the smallest signed index type that holds `size` entries. */
export function narrowCodes(codes: Int32Array, size: number): TypedArray {
  const t = indexTypeFor(size);
  if (t instanceof A.Int32) return codes;
  const out: TypedArray =
    t instanceof A.Int8 ? allocate(Int8Array, codes.length) : allocate(Int16Array, codes.length);
  out.set(codes);
  return out;
}

/** Bit-packs booleans (null/undefined -> null). */
export function packBools(values: ArrayLike<unknown>): ColumnParts {
  const n = values.length;
  const bits = new Uint8Array((n + 7) >> 3);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity ??= new Uint8Array((n + 7) >> 3).fill(255);
      validity[i >> 3]! &= ~(1 << (i & 7));
    } else if (v) bits[i >> 3]! |= 1 << (i & 7);
  }
  return { dtype: 'bool', length: n, values: bits, validity };
}

/** Numbers from a plain array (null/undefined/NaN-free check left to the caller). */
export function packNumbers(values: ArrayLike<unknown>, dtype: Dtype): ColumnParts {
  const n = values.length;
  const ctor = (arrowType(dtype) as any).ArrayType as new (n: number) => TypedArray;
  const out = new ctor(n);
  let validity: Uint8Array | null = null;
  const big = dtype === 'int64';
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity ??= new Uint8Array((n + 7) >> 3).fill(255);
      validity[i >> 3]! &= ~(1 << (i & 7));
    } else (out as any)[i] = big ? BigInt(Math.trunc(Number(v))) : Number(v);
  }
  return { dtype, length: n, values: out, validity };
}

/** Column parts from plain JS values of a known dtype. */
export function packValues(
  values: ArrayLike<unknown>,
  dtype: Dtype,
  dictionary?: readonly string[],
): ColumnParts {
  if (dtype === 'string') return encodeStrings(values, dictionary);
  if (dtype === 'bool') return packBools(values);
  if (!isNumeric(dtype)) throw new Error(`unreachable dtype ${dtype}`);
  return packNumbers(values, dtype);
}

/** An empty table with a schema (the "meta" partition). */
export function emptyTable(schema: readonly { name: string; dtype: Dtype }[]): A.Table {
  return tableOf(
    schema.map((f) => f.name),
    schema.map((f) => makeColumn(packValues([], f.dtype))),
    0,
  );
}

export { concatTables, emptyBatch, joinTables, shareTable, singleBatch } from './arrow-concat.js';
