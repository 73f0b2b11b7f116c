/**
 * The chunk format every array kernel reads and writes (DESIGN): `{ dtype, shape, data }`,
 * C order, plain data so it crosses threads and processes. Also the dtype table kernels
 * need to allocate outputs, and small shape helpers shared by kernels and graph builders.
 */
import { allocate, type TypedArray, type TypedArrayConstructor } from '@dusk/core';

/** The element types an array can hold. `bool` is stored as 0/1 in a Uint8Array. */
export type Dtype =
  | 'float64'
  | 'float32'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint32'
  | 'uint16'
  | 'uint8'
  | 'bool'
  | 'int64'
  | 'uint64';

/** One block of an array: its dtype, its shape and its elements in C order. */
export interface Chunk {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

export const DTYPE_CTORS: Record<Dtype, TypedArrayConstructor> = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint32: Uint32Array,
  uint16: Uint16Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

/** Whether a dtype is stored as BigInt (int64, uint64). */
export function isBigDtype(dtype: Dtype): boolean {
  return dtype === 'int64' || dtype === 'uint64';
}

/** Product of a shape (1 for a 0-d shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Element strides of a C-order array of this shape. */
export function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** A zero-filled chunk (shared memory when large, see allocate()). */
export function emptyChunk(dtype: Dtype, shape: readonly number[]): Chunk {
  return { dtype, shape: [...shape], data: allocate(DTYPE_CTORS[dtype], sizeOf(shape)) };
}

/** The elements of a chunk as float64 (the chunk's own array when it already is). */
export function asFloat64(data: TypedArray): Float64Array {
  if (data instanceof Float64Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
    return out;
  }
  return new Float64Array(data as ArrayLike<number>);
}
