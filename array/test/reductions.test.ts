import * as da from '@dusk/array';
import { compute } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { chunkings1d, chunkings2d, expectClose, flat, nested, run } from './helpers.js';

const X = nested([4, 5], (i) => ((i * 7) % 11) - 3.25);

/** Reference reductions over a list of numbers. */
const ref: Record<string, (v: number[]) => number | boolean> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  prod: (v) => v.reduce((a, b) => a * b, 1),
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  min: (v) => Math.min(...v),
  max: (v) => Math.max(...v),
  var: (v) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
  },
  std: (v) => Math.sqrt(ref.var!(v) as number),
  argmin: (v) => v.indexOf(Math.min(...v)),
  argmax: (v) => v.indexOf(Math.max(...v)),
  any: (v) => v.some((x) => x !== 0),
  all: (v) => v.every((x) => x !== 0),
  countNonzero: (v) => v.filter((x) => x !== 0).length,
};
const OPS = Object.keys(ref);

/** Reference for a reduction along one axis of a 2-d nested array. */
function alongAxis(x: number[][], op: string, axis: number): unknown[] {
  if (axis === 1) return x.map((row) => ref[op]!(row));
  return x[0]!.map((_, j) => ref[op]!(x.map((r) => r[j]!)));
}

describe('reductions over all axes', () => {
  for (const chunks of chunkings2d(4, 5)) {
    it(`match plain loops with chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(X, { chunks });
      for (const op of OPS) expectClose(await run((x as any)[op]()), ref[op]!(flat(X)), 1e-12);
    });
  }

  it('work on fused expressions (streamed through tiles)', async () => {
    const x = da.fromArray(X, { chunks: [3, 2] });
    const y = x.mul(2).add(1);
    const Y = flat(X).map((v) => v * 2 + 1);
    for (const op of OPS) expectClose(await run((y as any)[op]()), ref[op]!(Y), 1e-12);
  });

  it('work on generated arrays with zeros and ties', async () => {
    const z = da.zeros([3, 4], { chunks: [2, 3] });
    expect(await run(z.sum())).toBe(0);
    expect(await run(z.any())).toBe(false);
    expect(await run(z.all())).toBe(false);
    expect(await run(z.argmax())).toBe(0);
    expect(await run(da.ones(7, { chunks: 3 }).prod())).toBe(1);
  });

  it('treat an array of 1e5 generated values like the closed form', async () => {
    const n = 100_000;
    expect(await run(da.arange(n, { chunks: 999 }).sum())).toBe((n * (n - 1)) / 2);
    expect(await run(da.arange(n, { chunks: 999 }).mean())).toBe((n - 1) / 2);
    expectClose(await run(da.arange(n, { chunks: 999 }).var()), (n * n - 1) / 12, 1e-12);
  });

  it('propagate NaN like NumPy', async () => {
    const x = da.fromArray([1, Number.NaN, 3, 0.5], { chunks: 2 });
    expect(Number.isNaN((await run(x.min())) as number)).toBe(true);
    expect(Number.isNaN((await run(x.max())) as number)).toBe(true);
    expect(await run(x.argmax())).toBe(1);
  });

  it('argmin/argmax give the first occurrence as a flat index', async () => {
    const x = da.fromArray(
      [
        [3, 1, 9],
        [1, 9, 0],
      ],
      { chunks: [1, 2] },
    );
    expect(await run(x.argmin())).toBe(5);
    expect(await run(x.argmax())).toBe(2);
    // Block (0, 0) holds a 0 at flat index 4, block (0, 1) one at flat index 2: the first wins.
    const grid = da.fromArray(
      [
        [1, 1, 0, 1],
        [0, 1, 1, 1],
      ],
      { chunks: [2, 2] },
    );
    expect(await run(grid.argmin())).toBe(2);
    expect(await run(grid.mul(-1).argmax())).toBe(2);
    const ties = da.fromArray([2, 5, 5, 1, 1], { chunks: 1 });
    expect(await run(ties.argmax())).toBe(1);
    expect(await run(ties.argmin())).toBe(3);
  });
});

describe('reductions along axes', () => {
  for (const chunks of chunkings2d(4, 5)) {
    it(`match plain loops with chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(X, { chunks });
      for (const op of OPS) {
        for (const axis of [0, 1, -1]) {
          const got = await run((x as any)[op]({ axis }));
          expectClose(got, alongAxis(X, op, axis < 0 ? axis + 2 : axis), 1e-12);
        }
      }
    });
  }

  it('keepdims keeps length-1 axes', async () => {
    const x = da.fromArray(X, { chunks: [3, 2] });
    const s = x.sum({ axis: 1, keepdims: true });
    expect(s.shape).toEqual([4, 1]);
    expect(s.chunks).toEqual([[3, 1], [1]]);
    expectClose(
      await run(s),
      alongAxis(X, 'sum', 1).map((v) => [v]),
    );
    const all = x.mean({ keepdims: true });
    expect(all.shape).toEqual([1, 1]);
    expectClose(await run(all), [[ref.mean!(flat(X))]]);
  });

  it('reduce over several axes of a 3-d array', async () => {
    const T = nested([3, 4, 2], (i) => (i % 5) - 1);
    const t = da.fromArray(T, { chunks: [2, 3, 1] });
    const got = (await run(t.sum({ axis: [0, 2] }))) as number[];
    const want = [0, 1, 2, 3].map((j) =>
      [0, 1, 2].reduce((a, i) => a + T[i][j][0] + T[i][j][1], 0),
    );
    expect(got).toEqual(want);
    expect(await run(t.max([2, 0]))).toEqual(
      [0, 1, 2, 3].map((j) => Math.max(...[0, 1, 2].flatMap((i) => T[i][j]))),
    );
  });

  it('var and std take ddof', async () => {
    const v = [2, 4, 4, 4, 5, 5, 7, 9];
    const x = da.fromArray(v, { chunks: 3 });
    expect(await run(x.var())).toBe(4);
    expectClose(await run(x.var({ ddof: 1 })), 32 / 7);
    expectClose(await run(x.std({ ddof: 1 })), Math.sqrt(32 / 7));
  });

  it('gives the same answer for every splitEvery', async () => {
    const x = da.arange(1000, { chunks: 7 }).astype('float64').mul(0.1);
    const want = await run(x.sum({ splitEvery: 2 }));
    for (const splitEvery of [3, 8, 1000])
      expectClose(await run(x.sum({ splitEvery })), want as number, 1e-14);
  });
});

describe('careful summation', () => {
  it("keeps a long sum's relative error near 1e-16, where a plain loop is off by 1e-11", async () => {
    const n = 1_000_000;
    let naive = 0;
    for (let i = 0; i < n; i++) naive += 0.1;
    // The exact sum of n copies of the double nearest 0.1 is 100000.0000000000055511...
    const exact = 100000.00000000001;
    expect(Math.abs(naive - exact)).toBeGreaterThan(1e-7);
    const got = (await run(da.full(n, 0.1, { chunks: 99_991 }).sum())) as number;
    expect(Math.abs(got - exact) / exact).toBeLessThan(1e-15);
    const stored = (await run(
      da.fromArray(new Float64Array(n).fill(0.1), { chunks: 250_000 }).mean(),
    )) as number;
    expect(Math.abs(stored - 0.1)).toBeLessThan(1e-16);
  });
});

describe('several reductions at once', () => {
  it('keep their own keys when computed in one graph', async () => {
    const x = da.fromArray(X, { chunks: [1, 3] });
    const ops = ['var', 'argmin', 'sum', 'mean', 'min', 'std'];
    const got = await compute(...ops.map((op) => (x as any)[op]()), { scheduler: 'sync' });
    ops.forEach((op, i) => {
      expectClose(got[i], ref[op]!(flat(X)));
    });
  });
});

describe('1-d chunkings', () => {
  const V = [5, -2, 7.5, 0, 3, -8, 1];
  for (const chunks of chunkings1d(V.length)) {
    it(`match plain loops with chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(V, { chunks });
      for (const op of OPS) expectClose(await run((x as any)[op]()), ref[op]!(V), 1e-12);
    });
  }
});

describe('reduction dtypes and errors', () => {
  it('gives NumPy-like result dtypes', () => {
    const i = da.arange(5);
    expect(i.sum().dtype).toBe('float64');
    expect(i.max().dtype).toBe('int32');
    expect(i.mean().dtype).toBe('float64');
    expect(i.gt(2).any().dtype).toBe('bool');
    expect(da.zeros(3, { dtype: 'float32' }).mean().dtype).toBe('float32');
  });

  it('names the axis and ndim when an axis is out of range', () => {
    const x = da.zeros([2, 3]);
    expect(() => x.sum(2)).toThrowError(expect.objectContaining({ code: 'E_AXIS' }));
    expect(() => x.sum({ axis: -3 })).toThrow(/axis -3 is out of range for an array with ndim 2/);
    expect(() => x.argmin([0, 1])).toThrow(/single axis/);
  });

  it('refuses min of an empty array and 64-bit integer reductions', () => {
    expect(() => da.zeros(0).min()).toThrow(/zero-size/);
    expect(() => da.zeros(3, { dtype: 'int64' }).mean()).toThrowError(
      expect.objectContaining({ code: 'E_DTYPE' }),
    );
  });

  it('sums an empty array to 0 and means it to NaN', async () => {
    expect(await run(da.zeros(0).sum())).toBe(0);
    expect(Number.isNaN((await run(da.zeros(0).mean())) as number)).toBe(true);
  });
});
