/**
 * Arrays made from a rule rather than data: arange, linspace, zeros, ones, full. Their
 * blocks are generated inside whichever task needs them (see expr.ts), so
 * `arange(1e9).sum()` allocates nothing but small tiles.
 */
import { type Graph, InvalidArgumentError, layer, quote, task, tokenize } from '@dusk/core';
import { DuskArray } from './array.js';
import {
  blockIndices,
  blockShapeOf,
  type ChunksSpec,
  normalizeChunks,
  numblocksOf,
  offsetsOf,
  ravel,
} from './chunks.js';
import { checkDtype, type Dtype, isBigDtype } from './dtype.js';
import { blockKeyOf } from './expr.js';
import { kernel } from './kernel-ref.js';
import type { GenSpec } from './kernels/generate.js';

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Block sizes (see normalizeChunks); default 'auto' (~128 MB blocks). */
  chunks?: ChunksSpec;
  dtype?: Dtype;
}

/** A shape given as a number (1-d) or a list of lengths. */
export type ShapeArg = number | readonly number[];

/** Checks and normalizes a shape argument. */
export function toShape(shape: ShapeArg, where: string): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(
        `${where}: shape (${s.join(', ')}) must hold non-negative integers.`,
      );
    }
  }
  return s;
}

/**
 * An array whose block at grid index `idx` is generated from `specFor(idx, offsets, flat)`.
 * Used by every creation function and by the random module.
 */
export function generated(
  kind: string,
  shape: readonly number[],
  dtype: Dtype,
  chunksSpec: ChunksSpec | undefined,
  specFor: (idx: readonly number[], offsets: readonly number[], flat: number) => GenSpec,
  token: unknown,
): DuskArray {
  const chunks = normalizeChunks(chunksSpec ?? 'auto', shape, dtype);
  const name = `${kind}-${tokenize(kind, shape, dtype, chunks, token)}`;
  const offsets = chunks.map((c) => offsetsOf(c));
  const nb = numblocksOf(chunks);
  const spec = (idx: readonly number[]) =>
    specFor(
      idx,
      idx.map((i, d) => offsets[d]![i]!),
      ravel(idx, nb),
    );
  const build = () => {
    const tasks: Graph = new Map();
    for (const idx of blockIndices(nb)) {
      tasks.set(
        blockKeyOf(name, idx),
        task(kernel('makeBlock'), [quote(spec(idx)), blockShapeOf(chunks, idx), dtype]),
      );
    }
    return layer(name, tasks);
  };
  return new DuskArray(name, shape, chunks, dtype, build, { kind: 'gen', spec });
}

/**
 * An array filled with `value`.
 * @example full([2, 3], 7, { chunks: 2 })
 */
export function full(
  shape: ShapeArg,
  value: number | boolean,
  opts: CreateOptions = {},
): DuskArray {
  const dtype = opts.dtype
    ? checkDtype(opts.dtype, 'full')
    : typeof value === 'boolean'
      ? 'bool'
      : 'float64';
  const v = Number(value);
  return generated(
    'full',
    toShape(shape, 'full'),
    dtype,
    opts.chunks,
    () => ({ kind: 'full', value: v }),
    v,
  );
}

/** An array of zeros. @example zeros([1000, 1000], { chunks: 100 }) */
export function zeros(shape: ShapeArg, opts: CreateOptions = {}): DuskArray {
  return full(shape, 0, opts);
}

/** An array of ones. @example ones(10, { dtype: 'int32' }) */
export function ones(shape: ShapeArg, opts: CreateOptions = {}): DuskArray {
  return full(shape, 1, opts);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop, step)`.
 * Integer arguments give int32 when the values fit (float64 otherwise; NumPy gives int64).
 * @example arange(10, { chunks: 4 }) // 0..9 in blocks of 4, 4, 2
 */
export function arange(
  start: number,
  stop?: number | CreateOptions,
  step?: number | CreateOptions,
  opts?: CreateOptions,
): DuskArray {
  let o: CreateOptions = opts ?? {};
  if (typeof stop === 'object') [o, stop] = [stop, undefined];
  if (typeof step === 'object') [o, step] = [step, undefined];
  const [a, b, s] = stop === undefined ? [0, start, 1] : [start, stop, step ?? 1];
  if (s === 0 || ![a, b, s].every(Number.isFinite)) {
    throw new InvalidArgumentError(
      `arange(${a}, ${b}, ${s}): start, stop and step must be finite and step non-zero.`,
    );
  }
  const n = Math.max(0, Math.ceil((b - a) / s));
  const ints =
    [a, b, s].every(Number.isInteger) && Math.min(a, b) >= INT32_MIN && Math.max(a, b) <= INT32_MAX;
  const dtype = o.dtype ? checkDtype(o.dtype, 'arange') : ints ? 'int32' : 'float64';
  return generated(
    'arange',
    [n],
    dtype,
    o.chunks,
    (_i, off) => ({ kind: 'range', start: a, step: s, first: off[0]! }),
    [a, s],
  );
}

/**
 * `num` evenly spaced values from start to stop (stop included unless `endpoint: false`).
 * @example linspace(0, 1, 5) // 0, 0.25, 0.5, 0.75, 1
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  opts: CreateOptions & { endpoint?: boolean } = {},
): DuskArray {
  if (!Number.isInteger(num) || num < 0)
    throw new InvalidArgumentError(`linspace: num must be a non-negative integer, got ${num}.`);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const dtype = opts.dtype ? checkDtype(opts.dtype, 'linspace') : 'float64';
  if (isBigDtype(dtype))
    throw new InvalidArgumentError('linspace: use a float or 32-bit integer dtype.');
  return generated(
    'linspace',
    [num],
    dtype,
    opts.chunks,
    (_i, off) => {
      const spec: GenSpec = { kind: 'range', start, step, first: off[0]! };
      return endpoint && num > 1 ? { ...spec, last: stop, lastIndex: num - 1 - off[0]! } : spec;
    },
    [start, stop, endpoint],
  );
}
