/**
 * Making Arrow columns and tables from typed arrays without copying them, and putting
 * tables together: one place that knows how Dusk lays out a partition (strings as
 * dictionaries, validity bitmaps only when there are nulls).
 */
import { allocate, isShared, SHARED_MIN_BYTES, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import { arrowType, type Dtype, indexTypeFor, isNumeric } from '../dtypes.js';
import { dictStrings } from './batch.js';

const dictVectors = new WeakMap<readonly string[], A.Vector<A.Utf8>>();

/** The Utf8 vector of a dictionary, one per strings array (so equal dictionaries stay identical). */
export function dictionaryVector(strings: readonly string[]): A.Vector<A.Utf8> {
  let v = dictVectors.get(strings);
  if (!v) {
    v = A.vectorFromArray(strings as string[], new A.Utf8());
    dictVectors.set(strings, v);
    // The reverse cache lets kernels read this dictionary without decoding it again.
    dictStrings(v);
  }
  return v;
}

/** Counts zero bits among the first `n` bits of a validity bitmap. */
export function countNulls(bitmap: Uint8Array, n: number): number {
  let valid = 0;
  for (let i = 0; i < n; i++) valid += (bitmap[i >> 3]! >> (i & 7)) & 1;
  return n - valid;
}

export interface ColumnParts {
  dtype: Dtype;
  length: number;
  /** Typed values (numbers), a bit-packed Uint8Array (bool) or codes (string). */
  values: TypedArray;
  validity?: Uint8Array | null;
  dictionary?: readonly string[];
}

/** An Arrow Data for one column; the buffers are used as they are (no copy). */
export function makeColumn(p: ColumnParts): A.Data {
  const nullCount = p.validity ? countNulls(p.validity, p.length) : 0;
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
  const fields = columns.map((d, i) => new A.Field(names[i]!, d.type, true));
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

function copyBits(
  dst: Uint8Array,
  dstOff: number,
  src: Uint8Array | null | undefined,
  srcOff: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const bitOn = src ? (src[(srcOff + i) >> 3]! >> ((srcOff + i) & 7)) & 1 : 1;
    if (bitOn) dst[(dstOff + i) >> 3]! |= 1 << ((dstOff + i) & 7);
  }
}

function concatColumn(parts: readonly A.Data[], total: number): A.Data {
  const type = parts[0]!.type;
  const anyNulls = parts.some((d) => d.nullCount > 0);
  const validity = anyNulls ? new Uint8Array((total + 7) >> 3) : null;
  let o = 0;
  if (validity) {
    for (const d of parts) {
      copyBits(validity, o, d.nullCount > 0 ? d.nullBitmap : null, d.offset, d.length);
      o += d.length;
    }
  }
  if (A.DataType.isDictionary(type)) {
    const dict: string[] = [];
    const pos = new Map<string, number>();
    const codes = allocate(Int32Array, total);
    o = 0;
    for (const d of parts) {
      const lut = dictStrings(d.dictionary).map((s) => {
        let c = pos.get(s);
        if (c === undefined) {
          c = dict.length;
          dict.push(s);
          pos.set(s, c);
        }
        return c;
      });
      const src = d.values as Int32Array;
      for (let i = 0; i < d.length; i++) codes[o + i] = lut[src[i]!] ?? 0;
      o += d.length;
    }
    return makeColumn({
      dtype: 'string',
      length: total,
      values: narrowCodes(codes, dict.length),
      validity,
      dictionary: dict,
    });
  }
  if (A.DataType.isBool(type)) {
    const bits = new Uint8Array((total + 7) >> 3);
    o = 0;
    for (const d of parts) {
      copyBits(bits, o, d.values as Uint8Array, d.offset, d.length);
      o += d.length;
    }
    return makeColumn({ dtype: 'bool', length: total, values: bits, validity });
  }
  const ctor = (parts[0]!.values as TypedArray).constructor as new (n: number) => TypedArray;
  const values = allocate(ctor as any, total) as TypedArray;
  o = 0;
  for (const d of parts) {
    (values as any).set((d.values as TypedArray).subarray(0, d.length), o);
    o += d.length;
  }
  return A.makeData({
    type: type as any,
    length: total,
    data: values as any,
    nullBitmap: validity ?? undefined,
    nullCount: validity ? countNulls(validity, total) : 0,
  });
}

/** Tables (or one table's batches) as one single-batch table; dictionaries are unified. */
export function concatTables(tables: readonly A.Table[]): A.Table {
  const batches = tables.flatMap((t) => t.batches).filter((b) => b.numRows > 0);
  const schema = tables[0]!.schema;
  if (batches.length === 1 && tables.length === 1 && tables[0]!.batches.length === 1)
    return tables[0]!;
  const total = batches.reduce((a, b) => a + b.numRows, 0);
  if (batches.length === 0) return tables[0]!.slice(0, 0);
  const columns = schema.fields.map((_f, k) =>
    batches.length === 1
      ? batches[0]!.data.children[k]!
      : concatColumn(
          batches.map((b) => b.data.children[k]!),
          total,
        ),
  );
  return tableOf(
    schema.fields.map((f) => f.name),
    columns,
    total,
  );
}

/** The only batch of a table, concatenating when there are several. */
export function singleBatch(table: A.Table): A.RecordBatch {
  if (table.batches.length === 1) return table.batches[0]!;
  const t = concatTables([table]);
  return t.batches[0] ?? emptyBatch(table.schema);
}

/** A zero-row batch with the given schema. */
export function emptyBatch(schema: A.Schema): A.RecordBatch {
  const children = schema.fields.map((f) =>
    A.makeData({
      type: f.type,
      length: 0,
      nullCount: 0,
      ...(A.DataType.isDictionary(f.type) ? { dictionary: dictionaryVector([]) } : {}),
    } as any),
  );
  return new A.RecordBatch(
    schema,
    A.makeData({ type: new A.Struct(schema.fields), length: 0, children, nullCount: 0 }),
  );
}

function shareBuffer<T extends ArrayBufferView | undefined | null>(v: T): T {
  if (!v || isShared(v) || v.byteLength < SHARED_MIN_BYTES) return v;
  const ctor = (v as unknown as TypedArray).constructor as new (
    b: ArrayBufferLike,
    o: number,
    n: number,
  ) => TypedArray;
  const bytes = new Uint8Array(new SharedArrayBuffer(v.byteLength));
  bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return new ctor(bytes.buffer, 0, v.byteLength / (ctor as any).BYTES_PER_ELEMENT) as unknown as T;
}

/**
 * The table with its large buffers on shared memory (copied once when they are not), so
 * worker threads read partitions without a copy on every compute.
 */
export function shareTable(table: A.Table): A.Table {
  if (typeof SharedArrayBuffer !== 'function') return table;
  const batches = table.batches.map((b) => {
    const children = b.data.children.map((d) => {
      const values = shareBuffer(d.values as ArrayBufferView);
      const nullBitmap = shareBuffer(d.nullBitmap);
      if (values === d.values && nullBitmap === d.nullBitmap) return d;
      return A.makeData({
        type: d.type,
        length: d.length,
        offset: d.offset,
        data: values,
        nullBitmap,
        nullCount: d.nullCount,
        dictionary: d.dictionary,
      } as any);
    });
    if (children.every((c, k) => c === b.data.children[k])) return b;
    return new A.RecordBatch(
      b.schema,
      A.makeData({
        type: new A.Struct(b.schema.fields),
        length: b.numRows,
        children,
        nullCount: 0,
      }),
    );
  });
  return batches.every((b, k) => b === table.batches[k])
    ? table
    : new A.Table(table.schema, batches);
}

/**
 * Tables with the same columns as one table of their batches, without copying (each
 * partition keeps its own dictionaries); concatenates when the columns differ.
 */
export function joinTables(tables: readonly A.Table[]): A.Table {
  const first = tables[0]!;
  const same = (t: A.Table) =>
    t.schema.fields.length === first.schema.fields.length &&
    t.schema.fields.every((f, k) => {
      const g = first.schema.fields[k]!;
      return (
        f.name === g.name &&
        (A.DataType.isDictionary(f.type)
          ? A.DataType.isDictionary(g.type)
          : String(f.type) === String(g.type))
      );
    });
  if (!tables.every(same)) return concatTables(tables);
  const schema = first.schema;
  const batches = tables.flatMap((t) => t.batches).filter((b) => b.numRows > 0);
  if (batches.length === 0) return first;
  return new A.Table(
    schema,
    batches.map((b) =>
      b.schema === schema
        ? b
        : new A.RecordBatch(
            schema,
            A.makeData({
              type: new A.Struct(schema.fields),
              length: b.numRows,
              children: b.data.children,
              nullCount: 0,
            }),
          ),
    ),
  );
}
