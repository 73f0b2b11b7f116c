/**
 * Small block kernels: checking what a user's map_blocks function returned, reshaping a
 * block's descriptor (no copy), and dtype conversions that involve BigInt.
 */
import type { TypedArray } from '@dusk/core';
import { type Chunk, DTYPE_CTORS, type Dtype, emptyChunk, isBigDtype, sizeOf } from './chunk.js';

/**
 * Kernel: turns what a map_blocks function returned (a chunk, a typed array, or a number
 * array) into a chunk of the declared dtype; `shape` is the expected shape when known.
 */
export function asBlock(
  result: unknown,
  dtype: Dtype,
  shape: readonly number[] | null,
  key: string,
): Chunk {
  let data: TypedArray;
  let got: readonly number[] | undefined;
  if (result && typeof result === 'object' && 'data' in result && 'shape' in result) {
    data = (result as Chunk).data;
    got = (result as Chunk).shape;
  } else if (ArrayBuffer.isView(result)) {
    data = result as TypedArray;
  } else if (Array.isArray(result) || typeof result === 'number') {
    data = new DTYPE_CTORS[dtype](Array.isArray(result) ? result.length : 1);
    (data as Float64Array).set(Array.isArray(result) ? result : [result]);
  } else {
    throw new TypeError(
      `map_blocks function for ${key} returned ${typeof result}; return a typed array or { dtype, shape, data }.`,
    );
  }
  const outShape = got ?? shape ?? [data.length];
  if (sizeOf(outShape) !== data.length) {
    throw new RangeError(
      `map_blocks function for ${key} returned ${data.length} elements for shape (${outShape.join(', ')}).`,
    );
  }
  if (shape && (outShape.length !== shape.length || outShape.some((s, i) => s !== shape[i]))) {
    throw new RangeError(
      `map_blocks function for ${key} returned shape (${outShape.join(', ')}), expected (${shape.join(', ')}). Pass chunks to mapBlocks when the function changes the block shape.`,
    );
  }
  if (!(data instanceof DTYPE_CTORS[dtype])) data = convert(data, dtype);
  return { dtype, shape: [...outShape], data };
}

function convert(data: TypedArray, dtype: Dtype): TypedArray {
  const out = emptyChunk(dtype, [data.length]).data;
  const big = isBigDtype(dtype);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    (out as any)[i] = big
      ? BigInt(Math.trunc(Number(v)))
      : dtype === 'bool'
        ? Number(v) !== 0
          ? 1
          : 0
        : Number(v);
  }
  return out;
}

/** Kernel: the same elements under another shape with the same size (a new descriptor). */
export function reshapeBlock(chunk: Chunk, shape: readonly number[]): Chunk {
  return { dtype: chunk.dtype, shape: [...shape], data: chunk.data };
}

/** Kernel: converts a block to another dtype element by element (BigInt ones included). */
export function castBlock(chunk: Chunk, dtype: Dtype): Chunk {
  if (chunk.dtype === dtype) return chunk;
  return { dtype, shape: [...chunk.shape], data: convert(chunk.data, dtype) };
}
