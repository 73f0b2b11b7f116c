/**
 * Arrays from data the caller holds (a typed array, nested JS arrays, a computed NdArray)
 * or from a Delayed value that computes one block.
 */
import {
  type Delayed,
  type Graph,
  InvalidArgumentError,
  layer,
  ref,
  type TypedArray,
  task,
  tokenize,
} from '@dusk/core';
import { DuskArray } from './array.js';
import {
  blockIndices,
  blockShapeOf,
  type ChunksSpec,
  normalizeChunks,
  numblocksOf,
  offsetsOf,
} from './chunks.js';
import { checkDtype, type Dtype, dtypeOfArray, isBigDtype } from './dtype.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import { copyRegion } from './kernels/assemble.js';
import { castBlock } from './kernels/blocks.js';
import { emptyChunk, sizeOf } from './kernels/chunk.js';
import { NdArray } from './nd-array.js';

export interface FromArrayOptions {
  /** Block sizes; default 'auto'. */
  chunks?: ChunksSpec;
  /** Shape of a flat typed array (default: 1-d). */
  shape?: readonly number[];
  /** Convert to this dtype (default: the typed array's; float64 for numbers, bool for booleans). */
  dtype?: Dtype;
}

type Nested = number | boolean | bigint | readonly Nested[];

function nestedShape(x: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as Nested;
  }
  return shape;
}

function flatten(x: Nested, shape: number[], out: unknown[], depth = 0): void {
  if (depth === shape.length) {
    if (Array.isArray(x))
      throw new InvalidArgumentError(
        'fromArray: nested arrays are ragged (deeper in some places).',
      );
    out.push(x);
    return;
  }
  if (!Array.isArray(x) || x.length !== shape[depth]) {
    throw new InvalidArgumentError(
      `fromArray: nested arrays are ragged: expected length ${shape[depth]} at depth ${depth}.`,
    );
  }
  for (const v of x) flatten(v, shape, out, depth + 1);
}

function fromNested(x: Nested, dtype?: Dtype): { data: TypedArray; shape: number[]; dtype: Dtype } {
  const shape = nestedShape(x);
  const flat: unknown[] = [];
  flatten(x, shape, flat);
  const d =
    dtype ??
    (flat.length > 0 && typeof flat[0] === 'boolean'
      ? 'bool'
      : typeof flat[0] === 'bigint'
        ? 'int64'
        : 'float64');
  const out = emptyChunk(d, shape).data;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    (out as any)[i] = isBigDtype(d) ? BigInt(v as number) : d === 'bool' ? (v ? 1 : 0) : Number(v);
  }
  return { data: out, shape, dtype: d };
}

/**
 * A chunked array over data in memory. Blocks are cut when the array is built; the caller
 * must not change the data afterwards.
 * @example fromArray([[1, 2, 3], [4, 5, 6]], { chunks: [1, 2] })
 * @example fromArray(new Float64Array(1e6), { chunks: 1e5 })
 */
export function fromArray(
  x: TypedArray | Nested | NdArray,
  opts: FromArrayOptions = {},
): DuskArray {
  const want = opts.dtype === undefined ? undefined : checkDtype(opts.dtype, 'fromArray');
  let data: TypedArray;
  let shape: number[];
  let dtype: Dtype;
  if (x instanceof NdArray) [data, shape, dtype] = [x.data, [...x.shape], x.dtype];
  else if (ArrayBuffer.isView(x))
    [data, shape, dtype] = [
      x as TypedArray,
      [...(opts.shape ?? [(x as TypedArray).length])],
      dtypeOfArray(x),
    ];
  else if (Array.isArray(x) || typeof x !== 'object')
    ({ data, shape, dtype } = fromNested(x as Nested, want));
  else
    throw new InvalidArgumentError(
      `fromArray: expected a typed array, nested arrays or an NdArray, got ${typeof x}.`,
    );
  if (sizeOf(shape) !== data.length) {
    throw new InvalidArgumentError(
      `fromArray: shape (${shape.join(', ')}) does not hold ${data.length} elements.`,
    );
  }
  if (want && want !== dtype) ({ data, dtype } = castBlock({ dtype, shape, data }, want));
  const chunks = normalizeChunks(opts.chunks ?? 'auto', shape, dtype);
  const name = `array-${tokenize(data, shape, dtype, chunks)}`;
  const offsets = chunks.map((c) => offsetsOf(c));
  const tasks: Graph = new Map();
  for (const idx of blockIndices(numblocksOf(chunks))) {
    const bshape = blockShapeOf(chunks, idx);
    const block = emptyChunk(dtype, bshape);
    copyRegion(
      data,
      shape,
      idx.map((i, d) => offsets[d]![i]!),
      block.data,
      bshape,
      new Array(bshape.length).fill(0),
      bshape,
    );
    tasks.set(blockKeyOf(name, idx), { value: block });
  }
  return new DuskArray(name, shape, chunks, dtype, layer(name, tasks));
}

/**
 * A one-block array from a Delayed that computes a chunk or a typed array of `shape`.
 * @example fromDelayed(delayed(load)('a.bin'), { shape: [1000], dtype: 'float64' })
 */
export function fromDelayed(
  d: Delayed,
  opts: { shape: readonly number[]; dtype: Dtype },
): DuskArray {
  const dtype = checkDtype(opts?.dtype, 'fromDelayed');
  const shape = [...opts.shape];
  const name = `from-delayed-${tokenize(d.key, shape, dtype)}`;
  const key = blockKeyOf(
    name,
    shape.map(() => 0),
  );
  const tasks: Graph = new Map([[key, task(kernel('asBlock'), [ref(d.key), dtype, shape, key])]]);
  return new DuskArray(
    name,
    shape,
    shape.map((s) => [s]),
    dtype,
    layer(name, tasks, [d.layer]),
  );
}
