/**
 * Random arrays. Every block has its own stream (four xoshiro256+ lanes in wasm SIMD, see
 * kernels/xoshiro.ts), derived from the seed and the block's flat index in the chunk grid,
 * so the numbers are the same on every scheduler and worker count, in any order. Without a seed, one is drawn when the array
 * is built (so recomputing the same array gives the same numbers).
 */
import { InvalidArgumentError } from '@dusk/core';
import type { DuskArray } from './array.js';
import type { ChunksSpec } from './chunks.js';
import { generated, type ShapeArg, toShape } from './creation.js';
import { checkDtype, type Dtype, isBigDtype } from './dtype.js';

export interface RandomOptions {
  /** Output shape (`size` is NumPy's name for it). */
  shape?: ShapeArg;
  size?: ShapeArg;
  chunks?: ChunksSpec;
  /** A 32-bit integer; the same seed and chunks give the same numbers. */
  seed?: number;
  dtype?: Dtype;
}

function seedOf(seed: number | undefined): number {
  if (seed === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(seed))
    throw new InvalidArgumentError(`random: seed must be an integer, got ${seed}.`);
  return seed >>> 0;
}

function shapeOf(opts: RandomOptions, where: string): number[] {
  const s = opts.shape ?? opts.size;
  if (s === undefined) return [];
  return toShape(s, where);
}

function floatDtype(opts: RandomOptions, where: string): Dtype {
  const d = opts.dtype ? checkDtype(opts.dtype, where) : 'float64';
  if (d !== 'float64' && d !== 'float32')
    throw new InvalidArgumentError(`${where}: dtype must be float64 or float32, got ${d}.`);
  return d;
}

/**
 * Uniform samples in [low, high).
 * @example uniform(5, 500, { size: 50_000_000, chunks: 1_000_000, seed: 1 })
 */
export function uniform(low = 0, high = 1, opts: RandomOptions = {}): DuskArray {
  const seed = seedOf(opts.seed);
  const shape = shapeOf(opts, 'random.uniform');
  return generated(
    'uniform',
    shape,
    floatDtype(opts, 'random.uniform'),
    opts.chunks,
    (_i, _o, stream) => ({ kind: 'uniform', seed, stream, low, high }),
    [seed, low, high],
  );
}

/**
 * Uniform samples in [0, 1).
 * @example random(1e9, { chunks: 1e7, seed: 0 }).mean()
 */
export function random(
  shape: ShapeArg,
  opts: Omit<RandomOptions, 'shape' | 'size'> = {},
): DuskArray {
  return uniform(0, 1, { ...opts, shape });
}

/**
 * Normal (Gaussian) samples with mean `loc` and standard deviation `scale`.
 * @example normal(0, 1, { shape: [1000, 1000], chunks: 250, seed: 7 })
 */
export function normal(loc = 0, scale = 1, opts: RandomOptions = {}): DuskArray {
  const seed = seedOf(opts.seed);
  const shape = shapeOf(opts, 'random.normal');
  return generated(
    'normal',
    shape,
    floatDtype(opts, 'random.normal'),
    opts.chunks,
    (_i, _o, stream) => ({ kind: 'normal', seed, stream, loc, scale }),
    [seed, loc, scale],
  );
}

/**
 * Integers in [low, high) (int32 by default).
 * @example randint(0, 5, { size: 1000, chunks: 100, seed: 3 })
 */
export function randint(low: number, high?: number, opts: RandomOptions = {}): DuskArray {
  const [lo, hi] = high === undefined ? [0, low] : [low, high];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo) {
    throw new InvalidArgumentError(
      `random.randint: need integers low < high, got low=${lo}, high=${hi}.`,
    );
  }
  const seed = seedOf(opts.seed);
  const dtype = opts.dtype ? checkDtype(opts.dtype, 'random.randint') : 'int32';
  if (isBigDtype(dtype))
    throw new InvalidArgumentError(
      'random.randint: use a 32-bit or smaller integer dtype, or float64.',
    );
  return generated(
    'randint',
    shapeOf(opts, 'random.randint'),
    dtype,
    opts.chunks,
    (_i, _o, stream) => ({ kind: 'randint', seed, stream, low: lo, high: hi }),
    [seed, lo, hi],
  );
}
