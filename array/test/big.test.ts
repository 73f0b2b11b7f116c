import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const MAX = 2n ** 63n - 1n;
const V = [MAX, -5n, 7n, 2n ** 60n, 0n, -(2n ** 62n)];
const W = [1n, 3n, -2n, 2n ** 60n, 9n, -4n];
const wrap = (v: bigint) => BigInt.asIntN(64, v);

describe('int64 arithmetic', () => {
  for (const chunks of [6, 4, 1, [0, 2, 0, 4, 0]]) {
    it(`is exact and wraps like NumPy with chunks ${JSON.stringify(chunks)}`, async () => {
      const a = da.fromArray(new BigInt64Array(V), { chunks });
      const b = da.fromArray(new BigInt64Array(W), { chunks: 3 });
      const zip = (f: (x: bigint, y: bigint) => bigint | boolean) => V.map((x, i) => f(x, W[i]!));
      expect(await run(a.add(b))).toEqual(zip((x, y) => wrap(x + y)));
      expect(await run(a.sub(b))).toEqual(zip((x, y) => wrap(x - y)));
      expect(await run(a.mul(b))).toEqual(zip((x, y) => wrap(x * y)));
      expect(await run(a.maximum(b))).toEqual(zip((x, y) => (x > y ? x : y)));
      expect(await run(a.lt(b))).toEqual(zip((x, y) => x < y));
      expect(await run(a.eq(a))).toEqual(V.map(() => true));
      expect(await run(a.add(1))).toEqual(V.map((x) => wrap(x + 1n)));
      expect(await run(da.subtract(10, a))).toEqual(V.map((x) => wrap(10n - x)));
      expect(await run(a.neg())).toEqual(V.map((x) => wrap(-x)));
      expect(await run(a.abs())).toEqual(V.map((x) => wrap(x < 0n ? -x : x)));
    });
  }

  it('floordiv and mod follow NumPy (sign of the divisor, 0 for division by 0)', async () => {
    const a = da.fromArray(new BigInt64Array([-7n, 7n, -7n, 7n, 5n]), { chunks: 2 });
    const b = da.fromArray(new BigInt64Array([2n, -2n, -2n, 2n, 0n]), { chunks: 3 });
    expect(await run(a.floordiv(b))).toEqual([-4n, -4n, 3n, 3n, 0n]);
    expect(await run(a.mod(b))).toEqual([1n, -1n, -1n, 1n, 0n]);
  });

  it('sums, multiplies and finds extremes exactly over all axes', async () => {
    const a = da.fromArray(new BigInt64Array([2n ** 60n, 2n ** 60n, 1n, -3n]), {
      chunks: [1, 0, 2, 1],
    });
    expect(await run(a.sum())).toBe(2n ** 61n - 2n);
    expect(await run(a.min())).toBe(-3n);
    expect(await run(a.max())).toBe(2n ** 60n);
    expect(await run(da.fromArray(new BigInt64Array([3n, -2n, 5n]), { chunks: 1 }).prod())).toBe(
      -30n,
    );
    expect(await run(da.arange(100_000, { dtype: 'int64', chunks: 7777 }).sum())).toBe(
      4_999_950_000n,
    );
    const u = da.fromArray(new BigUint64Array([2n ** 64n - 1n, 5n]), { chunks: 1 });
    expect(await run(u.max())).toBe(2n ** 64n - 1n);
    expect(u.max().dtype).toBe('uint64');
  });

  it('explains what it does not do', () => {
    const a = da.zeros([2, 3], { dtype: 'int64' });
    expect(() => a.add(da.zeros([3], { dtype: 'int64' }))).toThrow(
      /same shape .*\(2, 3\) and \(3,\)/,
    );
    expect(() => a.add(0.5)).toThrow(/integer operands, got 0.5/);
    expect(() => a.add(da.zeros([2, 3], { dtype: 'uint64' }))).toThrow(
      /mismatched dtypes int64 and uint64/,
    );
    expect(() => a.sqrt()).toThrowError(expect.objectContaining({ code: 'E_DTYPE' }));
    expect(() => a.sum(0)).toThrow(/sum along an axis is not defined for int64/);
    expect(() => a.mean()).toThrow(/astype\('float64'\)/);
  });
});
