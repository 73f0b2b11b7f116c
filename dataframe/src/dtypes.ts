/**
 * Column dtypes: the small closed set a partition column may have, and how each maps to
 * an Arrow type and a typed array. Strings are always dictionary-encoded ('string').
 * A frame's schema ("meta") is a plain list of `{ name, dtype }`.
 */
import { DtypeError, InvalidArgumentError, type TypedArray } from '@dusk/core';
import * as A from 'apache-arrow';

export const NUMERIC_DTYPES = [
  'float64',
  'float32',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
] as const;
export type NumericDtype = (typeof NUMERIC_DTYPES)[number];
export type Dtype = NumericDtype | 'bool' | 'string';
export const DTYPES: readonly Dtype[] = [...NUMERIC_DTYPES, 'bool', 'string'];

/** One column of a schema. */
export interface Field {
  readonly name: string;
  readonly dtype: Dtype;
}
/** The schema of a frame ("meta" in Dask): ordered fields. */
export type Schema = readonly Field[];

const ARRAY_TYPES: Record<NumericDtype, new (n: number) => TypedArray> = {
  float64: Float64Array,
  float32: Float32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

export function isDtype(x: unknown): x is Dtype {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}
export function isNumeric(d: Dtype): d is NumericDtype {
  return d !== 'bool' && d !== 'string';
}
export function isInteger(d: Dtype): boolean {
  return isNumeric(d) && !d.startsWith('float');
}

/** Validates a dtype name given by a user. @example asDtype('float64', 'meta') */
export function asDtype(x: unknown, where: string): Dtype {
  if (x === 'category' || x === 'str' || x === 'object' || x === 'utf8') return 'string';
  if (x === 'boolean') return 'bool';
  if (x === 'number' || x === 'float') return 'float64';
  if (x === 'int') return 'int32';
  if (isDtype(x)) return x;
  throw new DtypeError(
    `${where}: unknown dtype '${String(x)}'. Known dtypes: ${DTYPES.join(', ')}.`,
  );
}

/** The typed array class holding a numeric dtype. */
export function arrayTypeOf(d: NumericDtype): new (n: number) => TypedArray {
  return ARRAY_TYPES[d];
}

/** The dtype of a typed array, or undefined for other values. */
export function dtypeOfArray(a: unknown): NumericDtype | undefined {
  for (const d of NUMERIC_DTYPES) if (a instanceof ARRAY_TYPES[d]) return d;
  return undefined;
}

/** The smallest dictionary index type for `size` distinct strings. */
export function indexTypeFor(size: number): A.Int8 | A.Int16 | A.Int32 {
  if (size <= 127) return new A.Int8();
  if (size <= 32767) return new A.Int16();
  return new A.Int32();
}

/** The Arrow type of a dtype (string -> dictionary with the given index type). */
export function arrowType(
  d: Dtype,
  indices: A.Int8 | A.Int16 | A.Int32 = new A.Int32(),
): A.DataType {
  switch (d) {
    case 'float64':
      return new A.Float64();
    case 'float32':
      return new A.Float32();
    case 'int8':
      return new A.Int8();
    case 'int16':
      return new A.Int16();
    case 'int32':
      return new A.Int32();
    case 'int64':
      return new A.Int64();
    case 'uint8':
      return new A.Uint8();
    case 'uint16':
      return new A.Uint16();
    case 'uint32':
      return new A.Uint32();
    case 'bool':
      return new A.Bool();
    case 'string':
      return new A.Dictionary(new A.Utf8(), indices);
  }
}

/** The dtype of an Arrow type; refuses types Dusk partitions do not hold. */
export function dtypeOfArrow(t: A.DataType, column: string): Dtype {
  if (A.DataType.isDictionary(t)) {
    if (A.DataType.isUtf8(t.dictionary) || A.DataType.isLargeUtf8(t.dictionary)) return 'string';
  } else if (A.DataType.isUtf8(t) || A.DataType.isLargeUtf8(t)) return 'string';
  else if (A.DataType.isBool(t)) return 'bool';
  else if (A.DataType.isFloat(t)) {
    if (t.precision === A.Precision.DOUBLE) return 'float64';
    if (t.precision === A.Precision.SINGLE) return 'float32';
  } else if (A.DataType.isInt(t)) {
    const name = `${t.isSigned ? 'int' : 'uint'}${t.bitWidth}`;
    if (isDtype(name)) return name;
  }
  throw new DtypeError(
    `Column '${column}' has Arrow type ${String(t)}, which Dusk dataframes do not hold. ` +
      `Supported: ${DTYPES.join(', ')} (strings as Utf8 or Dictionary<Int, Utf8>). Cast it first.`,
  );
}

/** The schema of an Arrow table. */
export function schemaOfArrow(t: A.Table | A.Schema): Schema {
  const schema = t instanceof A.Table ? t.schema : t;
  return schema.fields.map((f) => ({ name: f.name, dtype: dtypeOfArrow(f.type, f.name) }));
}

/** Names of a schema's columns. */
export function names(schema: Schema): string[] {
  return schema.map((f) => f.name);
}

/** Checks a list of names has no repeats. */
export function checkUnique(cols: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const c of cols) {
    if (seen.has(c))
      throw new InvalidArgumentError(
        `${where}: column '${c}' appears twice. Names must be unique.`,
      );
    seen.add(c);
  }
}
