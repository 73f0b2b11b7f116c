/**
 * The 'arrow-table' codec: a partition table as a plain header plus its raw column
 * buffers (views on the same memory, no copy), and back. Schedulers use it to move
 * partitions between threads (buffers on SharedArrayBuffer are not copied at all) and
 * processes (buffers sent out of band). Registered when the kernels module is imported.
 */
import { type Encoded, isShared, mapPacked, registerCodec, SerializationError } from '@dusk/core';
import * as A from 'apache-arrow';
import {
  arrayTypeOf,
  arrowType,
  DTYPES,
  type Dtype,
  dtypeOfArrow,
  NUMERIC_DTYPES,
  type NumericDtype,
} from '../dtypes.js';
import { dictionaryVector } from './arrow-build.js';
import { dictStrings } from './batch.js';

type TypeDesc = { id: string; indices?: string };
interface DataDesc {
  type: TypeDesc;
  length: number;
  nullCount: number;
  offset: number;
  values: number;
  validity: number;
  dictionary?: string[];
}
interface Header {
  names: string[];
  types: TypeDesc[];
  batches: { length: number; columns: DataDesc[] }[];
}

type ViewClass = new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView;

/** The typed array class of a column type id off the wire (bools as bytes). */
function arrayClass(id: string): ViewClass {
  if (id === 'bool') return Uint8Array;
  if (!(NUMERIC_DTYPES as readonly string[]).includes(id)) {
    throw new SerializationError(`arrow-table codec: unknown column type '${id}' in a message.`);
  }
  return arrayTypeOf(id as NumericDtype) as unknown as ViewClass;
}

/**
 * The bytes of a buffer view. Shared memory and whole buffers are passed as views (no
 * copy); a slice of an ordinary buffer is copied, because cloning or transferring a view
 * moves its whole underlying buffer (a 1/50 partition would carry all 50).
 */
function bytes(v: ArrayBufferView): Uint8Array {
  const view = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const whole = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
  return whole || isShared(v) ? view : view.slice();
}

function typeDesc(t: A.DataType, name: string): TypeDesc {
  const dtype = dtypeOfArrow(t, name);
  if (dtype !== 'string') return { id: dtype };
  return {
    id: 'string',
    indices: A.DataType.isDictionary(t) ? `int${t.indices.bitWidth}` : 'utf8',
  };
}

function encodeData(d: A.Data, name: string, buffers: ArrayBufferView[]): DataDesc {
  const dtype = dtypeOfArrow(d.type, name);
  const push = (v: ArrayBufferView | null | undefined) => (v ? buffers.push(bytes(v)) - 1 : -1);
  const type = typeDesc(d.type, name);
  if (type.indices === 'utf8')
    throw new SerializationError(
      `Column '${name}' holds plain utf8 strings; Dusk partitions hold strings as dictionaries.`,
    );
  return {
    type,
    length: d.length,
    nullCount: d.nullCount,
    offset: d.offset,
    values: push(d.values as ArrayBufferView),
    validity: d.nullCount > 0 ? push(d.nullBitmap) : -1,
    dictionary: dtype === 'string' ? dictStrings(d.dictionary) : undefined,
  };
}

function view(
  buf: Uint8Array,
  ctor: new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView,
  count: number,
): ArrayBufferView {
  const size = (ctor as any).BYTES_PER_ELEMENT as number;
  // A buffer that arrives unaligned (e.g. inside a message) must be copied to be viewed.
  const src = buf.byteOffset % size === 0 ? buf : buf.slice();
  return new ctor(src.buffer, src.byteOffset, count);
}

function decodeData(desc: DataDesc, buffers: Uint8Array[]): A.Data {
  const nullBitmap = desc.validity >= 0 ? buffers[desc.validity]! : undefined;
  const raw = buffers[desc.values]!;
  const base = { length: desc.length, offset: desc.offset, nullBitmap, nullCount: desc.nullCount };
  if (desc.type.id === 'string') {
    const idx = desc.type.indices!;
    const type = new A.Dictionary(
      new A.Utf8(),
      idx === 'int8' ? new A.Int8() : idx === 'int16' ? new A.Int16() : new A.Int32(),
    );
    const data = view(raw, arrayClass(idx), desc.length);
    const dictionary = dictionaryVector(desc.dictionary!);
    return A.makeData({ ...base, type, data: data as any, dictionary } as any);
  }
  const type = arrowTypeOf(desc.type.id);
  const n = desc.type.id === 'bool' ? raw.byteLength : desc.length;
  const data = view(raw, arrayClass(desc.type.id), n);
  return A.makeData({ ...base, type, data: data as any } as any);
}

function arrowTypeOf(id: string): A.DataType {
  // The id comes off the wire: only a known non-string dtype may reach arrowType.
  if (id === 'string' || !(DTYPES as readonly string[]).includes(id)) {
    throw new SerializationError(`arrow-table codec: unknown column type '${id}' in a message.`);
  }
  return arrowType(id as Dtype);
}

/** Encodes a table as a header plus views on its buffers (no copy). */
export function encodeTable(table: A.Table): Encoded {
  const buffers: ArrayBufferView[] = [];
  const names = mapPacked(table.schema.fields, (f) => f.name);
  const header: Header = {
    names,
    types: mapPacked(table.schema.fields, (f) => typeDesc(f.type, f.name)),
    batches: mapPacked(table.batches, (b) => ({
      length: b.numRows,
      columns: mapPacked(b.data.children, (d, k) => encodeData(d, names[k]!, buffers)),
    })),
  };
  return { header, buffers };
}

/** Rebuilds a table from `encodeTable`'s header and buffers. */
export function decodeTable(header: unknown, buffers: Uint8Array[]): A.Table {
  const h = header as Header;
  if (!h || !Array.isArray(h.names) || !Array.isArray(h.batches))
    throw new SerializationError('arrow-table codec: the header is not a table header.');
  if (h.batches.length === 0) {
    const fields = mapPacked(h.names, (n, k) => {
      const t = h.types[k]!;
      const idx =
        t.indices === 'int8' ? new A.Int8() : t.indices === 'int16' ? new A.Int16() : new A.Int32();
      return new A.Field(
        n,
        t.id === 'string' ? new A.Dictionary(new A.Utf8(), idx) : arrowTypeOf(t.id),
        true,
      );
    });
    return new A.Table(new A.Schema(fields));
  }
  const batches = mapPacked(h.batches, (b) => {
    const children = mapPacked(b.columns, (c) => decodeData(c, buffers));
    const fields = mapPacked(children, (d, k) => new A.Field(h.names[k]!, d.type, true));
    const schema = new A.Schema(fields);
    return new A.RecordBatch(
      schema,
      A.makeData({ type: new A.Struct(fields), length: b.length, children, nullCount: 0 }),
    );
  });
  return new A.Table(batches);
}

/**
 * The bytes of a table's buffers. Not its dictionaries': partitions of one frame share them,
 * and counting them in each would make every partition look as large as its dictionary.
 */
function tableBytes(t: A.Table): number {
  let n = 0;
  for (const d of t.data) n += d.byteLength;
  return n;
}

registerCodec<A.Table>({
  name: 'arrow-table',
  module: '@dusk/dataframe/kernels',
  test: (v): v is A.Table => v instanceof A.Table,
  encode: encodeTable,
  decode: decodeTable,
  nbytes: tableBytes,
});
