/** Conformance cases for @dusk/array: the same numbers on every scheduler and worker count. */
import * as da from '@dusk/array';
import { delayed } from '@dusk/core';
import type { ConformanceCase } from './cases.js';

const plain = (r: unknown) => (r instanceof da.NdArray ? r.toArray() : r);
const M = [
  [1, 2, 3, 4],
  [5, 6, 7, 8],
  [9, 10, 11, 12],
];

export const cases: ConformanceCase[] = [
  {
    name: 'array random.random mean (per-chunk streams)',
    build: () => da.random.random(100_000, { chunks: 7_777, seed: 1 }).mean(),
  },
  {
    name: 'array random block values',
    build: () => da.random.normal(0, 1, { shape: [20, 30], chunks: [7, 11], seed: 2 }),
    normalize: plain,
  },
  {
    name: 'array (x + x.T).mean() of a random square',
    build: () => {
      const x = da.random.random([60, 60], { chunks: 13, seed: 3 });
      return x.add(x.T).mean();
    },
  },
  {
    name: 'array (x + x.T).mean(axis=0) and from_delayed (course examples)',
    build: () => {
      const x = da.random.random([40, 40], { chunks: 10, seed: 6 });
      const d = da.fromDelayed(delayed(Float64Array.from({ length: 16 }, (_, i) => i / 16)), {
        shape: [4, 4],
        dtype: 'float64',
      });
      return [x.add(x.T).mean({ axis: 0 }), d.add(d.T).mean()];
    },
    normalize: (r) => (r as unknown[]).map(plain),
  },
  {
    name: 'array arange sum (closed form)',
    build: () => da.arange(10_000, { chunks: 333 }).sum(),
    expected: (10_000 * 9_999) / 2,
  },
  {
    name: 'array reductions along axes with keepdims',
    build: () => [
      da.fromArray(M, { chunks: [2, 3] }).sum({ axis: 0 }),
      da.fromArray(M, { chunks: 1 }).max({ axis: 1, keepdims: true }),
    ],
    normalize: (r) => (r as unknown[]).map(plain),
    expected: [
      [15, 18, 21, 24],
      [[4], [8], [12]],
    ],
  },
  {
    name: 'array var, std, argmin, argmax, any, all',
    build: () => {
      const x = da.fromArray(M, { chunks: [1, 3] });
      return [
        x.var(),
        x.std({ ddof: 1 }),
        x.argmin(),
        x.argmax({ axis: 0 }),
        x.gt(11).any(),
        x.gt(0).all(),
      ];
    },
    normalize: (r) => (r as unknown[]).map(plain),
    expected: [143 / 12, Math.sqrt(13), 0, [2, 2, 2, 2], true, true],
  },
  {
    name: 'array slicing with steps and negative indices',
    build: () => da.fromArray(M, { chunks: [2, 3] }).slice('::-1', '1::2'),
    normalize: plain,
    expected: [
      [10, 12],
      [6, 8],
      [2, 4],
    ],
  },
  {
    name: 'array boolean mask (unknown chunk sizes)',
    build: () => {
      const x = da.fromArray(M, { chunks: [2, 2] });
      return x.mask(x.mod(3).eq(0)).sum();
    },
    expected: 3 + 6 + 9 + 12,
  },
  {
    name: 'array rechunk and transpose',
    build: () => da.fromArray(M, { chunks: [1, 4] }).rechunk([3, 1]).T,
    normalize: plain,
    expected: [
      [1, 5, 9],
      [2, 6, 10],
      [3, 7, 11],
      [4, 8, 12],
    ],
  },
  {
    name: 'array matmul by blocks (500 x 500 pattern, small)',
    build: () => {
      const a = da.random.random([50, 40], { chunks: [20, 15], seed: 4 });
      const b = da.random.random([40, 30], { chunks: [10, 10], seed: 5 });
      return a.dot(b).sum({ axis: 0 });
    },
    normalize: plain,
  },
  {
    name: 'array concatenate, stack and take',
    build: () => {
      const a = da.arange(5, { chunks: 2 });
      return da.stack([a, a.mul(10)]).take([1, 0], 0);
    },
    normalize: plain,
    expected: [
      [0, 10, 20, 30, 40],
      [0, 1, 2, 3, 4],
    ],
  },
  {
    name: 'array int64 arithmetic and exact sum',
    build: () => {
      const a = da.arange(1000, { dtype: 'int64', chunks: 77 }).mul(2 ** 40);
      return [a.sum(), a.add(a).max(), a.gt(2 ** 49).slice('-3:')];
    },
    normalize: (r) => (r as unknown[]).map(plain),
    expected: [499500n * 2n ** 40n, 1998n * 2n ** 40n, [true, true, true]],
  },
  {
    name: 'array mapBlocks with a source lambda',
    build: () =>
      da
        .arange(6, { chunks: 4 })
        .mapBlocks((c) => c.data.map((v: number) => v * v), { dtype: 'int32' }),
    normalize: plain,
    expected: [0, 1, 4, 9, 16, 25],
  },
  {
    name: 'array mapBlocks error carries its key',
    build: () =>
      da.arange(6, { chunks: 3 }).mapBlocks(
        () => {
          throw new RangeError('boom');
        },
        { dtype: 'float64' },
      ),
    errorCode: 'E_TASK_FAILED',
  },
];
