/**
 * Putting partition tables together and moving them: concatenation with dictionary
 * unification, zero-copy joining of batches, single batches, and moving buffers to
 * shared memory so worker threads can read them without copies.
 */
import { allocate, isShared, mapPacked, SHARED_MIN_BYTES, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';
import { countNulls, dictionaryVector, makeColumn, narrowCodes, tableOf } from './arrow-build.js';
import { dictStrings } from './batch.js';

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

/** The batches of `tables` that have rows, in order (a packed array). */
function nonEmptyBatches(tables: readonly A.Table[]): A.RecordBatch[] {
  const out: A.RecordBatch[] = [];
  for (const t of tables) for (const b of t.batches) if (b.numRows > 0) out.push(b);
  return out;
}

/** Tables (or one table's batches) as one single-batch table; dictionaries are unified. */
export function concatTables(tables: readonly A.Table[]): A.Table {
  const batches = nonEmptyBatches(tables);
  const schema = tables[0]!.schema;
  if (batches.length === 1 && tables.length === 1 && tables[0]!.batches.length === 1)
    return tables[0]!;
  const total = batches.reduce((a, b) => a + b.numRows, 0);
  if (batches.length === 0) return tables[0]!.slice(0, 0);
  // Packed arrays (core's packed.ts): Arrow's constructors read them on every combine.
  const columns = mapPacked(schema.fields, (_f, k) =>
    batches.length === 1
      ? batches[0]!.data.children[k]!
      : concatColumn(
          mapPacked(batches, (b) => b.data.children[k]!),
          total,
        ),
  );
  return tableOf(
    mapPacked(schema.fields, (f) => f.name),
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

function shareBuffer<T extends ArrayBufferView | undefined | null>(v: T, which: Sizes): T {
  if (!v || isShared(v)) return v;
  const size: Sizes = v.byteLength < SHARED_MIN_BYTES ? 'small' : 'large';
  if (size !== which) return v;
  const ctor = (v as unknown as TypedArray).constructor as new (
    b: ArrayBufferLike,
    o: number,
    n: number,
  ) => TypedArray;
  const bytes = new Uint8Array(new SharedArrayBuffer(v.byteLength));
  bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return new ctor(bytes.buffer, 0, v.byteLength / (ctor as any).BYTES_PER_ELEMENT) as unknown as T;
}

/** Which buffers `shareTable` copies to shared memory: from 64 KB up, or under it. */
type Sizes = 'large' | 'small';

/**
 * The table with its large buffers on shared memory (copied once when they are not), so
 * worker threads read partitions without a copy on every compute. With 'small', the
 * buffers under 64 KB instead (kernels put those on ordinary memory): a table whose every
 * buffer is shared is one thread workers keep between computes (the pool sends it once,
 * then by number), while one with a buffer on ordinary memory is encoded, copied and
 * decoded again for every compute that reads it. Large ones are left where they are then:
 * a copy would double them for a while, and kernels already made them shared.
 */
export function shareTable(table: A.Table, which: Sizes = 'large'): A.Table {
  if (typeof SharedArrayBuffer !== 'function') return table;
  const batches = table.batches.map((b) => {
    const children = b.data.children.map((d) => {
      const values = shareBuffer(d.values as ArrayBufferView, which);
      const nullBitmap = shareBuffer(d.nullBitmap, which);
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
  const batches = nonEmptyBatches(tables);
  if (batches.length === 0) return first;
  return new A.Table(
    schema,
    mapPacked(batches, (b) =>
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
