import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as da from '@dusk/array';
import { COLLECTION, materialize } from '@dusk/core';
import { buildGraph } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { chunkings2d, expectClose, mapNested, nested, run } from './helpers.js';

const A = nested([4, 5], (i) => (i % 7) - 2.5 + i / 10);
const B = nested([4, 5], (i) => ((i * 3) % 5) + 0.5);
const zip = (a: any, b: any, f: (x: number, y: number) => number): any =>
  Array.isArray(a) ? a.map((v, i) => zip(v, b[i], f)) : f(a, b);

const binaries: [string, (x: number, y: number) => number][] = [
  ['add', (x, y) => x + y],
  ['sub', (x, y) => x - y],
  ['mul', (x, y) => x * y],
  ['div', (x, y) => x / y],
  ['pow', (x, y) => Math.abs(x) ** y],
  ['maximum', (x, y) => Math.max(x, y)],
  ['minimum', (x, y) => Math.min(x, y)],
  ['lt', (x, y) => (x < y ? 1 : 0)],
  ['ge', (x, y) => (x >= y ? 1 : 0)],
  ['eq', (x, y) => (x === y ? 1 : 0)],
];

describe('binary operations', () => {
  for (const chunks of chunkings2d(4, 5)) {
    it(`match plain loops with chunks ${JSON.stringify(chunks)}`, async () => {
      const a = da.fromArray(A, { chunks });
      const b = da.fromArray(B, { chunks: [2, 2] });
      for (const [op, f] of binaries) {
        const left = op === 'pow' ? a.abs() : a;
        const got = await run((left as any)[op](b));
        const want = zip(A, B, f);
        expectClose(
          mapNested(got, (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)),
          want,
        );
      }
    });
  }

  it('take scalars on either side', async () => {
    const a = da.fromArray(A, { chunks: [3, 2] });
    expectClose(
      await run(a.mul(2).add(1)),
      mapNested(A, (v) => v * 2 + 1),
    );
    expectClose(
      await run(da.subtract(10, a)),
      mapNested(A, (v) => 10 - v),
    );
    expectClose(
      await run(da.divide(1, a)),
      mapNested(A, (v) => 1 / v),
    );
  });

  it('mod and floordiv follow NumPy signs', async () => {
    const a = da.fromArray([-7, -1, 0, 5, 7], { chunks: 2 });
    expect(await run(a.mod(3))).toEqual([2, 2, 0, 2, 1]);
    expect(await run(a.mod(-3))).toEqual([-1, -1, 0, -1, -2]);
    expect(await run(a.floordiv(2))).toEqual([-4, -1, 0, 2, 3]);
  });

  it('logical operations give booleans', async () => {
    const a = da.fromArray([true, false, true, false]);
    const b = da.fromArray([true, true, false, false], { chunks: 3 });
    expect(await run(a.and(b))).toEqual([true, false, false, false]);
    expect(await run(a.or(b))).toEqual([true, true, true, false]);
    expect(await run(a.xor(b))).toEqual([false, true, true, false]);
    expect(await run(a.not())).toEqual([false, true, false, true]);
    expect(await run(da.logicalAnd(a, true))).toEqual([true, false, true, false]);
  });
});

describe('broadcasting', () => {
  it('stretches size-1 axes and adds leading axes', async () => {
    const a = da.fromArray(A, { chunks: [3, 2] });
    const row = da.fromArray([[1, 2, 3, 4, 5]], { chunks: [1, 4] });
    const col = da.fromArray([[10], [20], [30], [40]], { chunks: [1, 1] });
    const vec = da.fromArray([1, 2, 3, 4, 5], { chunks: 2 });
    expectClose(
      await run(a.add(row)),
      zip(A, A, (_x, _y) => 0).map((r: number[], i: number) => r.map((_, j) => A[i][j] + j + 1)),
    );
    expectClose(
      await run(a.mul(col)),
      A.map((r: number[], i: number) => r.map((v) => v * 10 * (i + 1))),
    );
    expectClose(
      await run(a.sub(vec)),
      A.map((r: number[]) => r.map((v, j) => v - (j + 1))),
    );
    expect(await run(col.add(row))).toEqual(
      [10, 20, 30, 40].map((c) => [1, 2, 3, 4, 5].map((r) => c + r)),
    );
  });

  it('broadcasts a length-1 axis whose first block is empty', async () => {
    const a = da.fromArray(A, { chunks: [2, 3] });
    const row = da.fromArray([[1, 2, 3, 4, 5]], {
      chunks: [
        [0, 1],
        [2, 0, 3],
      ],
    });
    const gen = da.full([1, 5], 2, { chunks: [[0, 1, 0], 5] });
    expectClose(
      await run(a.add(row)),
      A.map((r: number[]) => r.map((v, j) => v + j + 1)),
    );
    expectClose(
      await run(a.mul(gen).T),
      A[0].map((_: number, j: number) => A.map((r: number[]) => 2 * r[j])),
    );
  });

  it('names both shapes when they do not fit', () => {
    const a = da.zeros([3, 4], { chunks: 2 });
    const b = da.zeros([5], { chunks: 2 });
    expect(() => a.add(b)).toThrowError(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => a.add(b)).toThrow(/shapes \(3, 4\) and \(5,\)/);
  });

  it('unifies different chunkings of the same shape', async () => {
    const a = da.fromArray(A, {
      chunks: [
        [1, 3],
        [2, 3],
      ],
    });
    const b = da.fromArray(B, {
      chunks: [
        [3, 1],
        [4, 1],
      ],
    });
    const c = a.add(b);
    expect(c.chunks).toEqual([
      [1, 2, 1],
      [2, 2, 1],
    ]);
    expectClose(
      await run(c),
      zip(A, B, (x, y) => x + y),
    );
  });
});

describe('unary operations', () => {
  const ops: [string, (v: number) => number][] = [
    ['neg', (v) => -v],
    ['abs', Math.abs],
    ['exp', Math.exp],
    ['sin', Math.sin],
    ['cos', Math.cos],
    ['floor', Math.floor],
    ['ceil', Math.ceil],
    ['trunc', Math.trunc],
  ];
  for (const chunks of chunkings2d(4, 5)) {
    it(`match Math with chunks ${JSON.stringify(chunks)}`, async () => {
      const a = da.fromArray(A, { chunks });
      for (const [op, f] of ops) expectClose(await run((a as any)[op]()), mapNested(A, f));
      expectClose(
        await run(a.abs().sqrt()),
        mapNested(A, (v) => Math.sqrt(Math.abs(v))),
      );
      expectClose(
        await run(a.abs().log()),
        mapNested(A, (v) => Math.log(Math.abs(v))),
      );
      expectClose(
        await run(a.clip(-1, 2)),
        mapNested(A, (v) => Math.min(2, Math.max(-1, v))),
      );
    });
  }

  it('round halves to even like NumPy', async () => {
    const a = da.fromArray([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6], { chunks: 3 });
    expect(await run(a.round())).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it('isnan finds NaN', async () => {
    expect(await run(da.fromArray([1, Number.NaN, 3]).isnan())).toEqual([false, true, false]);
  });
});

describe('where', () => {
  it('selects elementwise with broadcasting and scalars', async () => {
    const a = da.fromArray(A, { chunks: [3, 2] });
    const got = await run(da.where(a.gt(0), a, 0));
    expectClose(
      got,
      mapNested(A, (v) => (v > 0 ? v : 0)),
    );
    const got2 = await run(da.where(da.fromArray([true, false, true, false, true]), 1, a));
    expectClose(
      got2,
      A.map((r: number[]) => r.map((v, j) => (j % 2 === 0 ? 1 : v))),
    );
  });
});

describe('dtypes of results', () => {
  it('follows NumPy promotion with weak scalars', () => {
    const i = da.arange(4);
    const f32 = da.zeros(4, { dtype: 'float32' });
    expect(i.dtype).toBe('int32');
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(0.5).dtype).toBe('float64');
    expect(i.div(2).dtype).toBe('float64');
    expect(f32.add(1).dtype).toBe('float32');
    expect(f32.add(i).dtype).toBe('float64');
    expect(i.gt(1).dtype).toBe('bool');
    expect(f32.sqrt().dtype).toBe('float32');
    expect(da.zeros(3, { dtype: 'uint8' }).add(da.zeros(3, { dtype: 'int8' })).dtype).toBe('int16');
  });

  it('int32 arithmetic wraps when stored, like NumPy', async () => {
    const a = da.fromArray(new Int32Array([2 ** 31 - 1, 5]), { chunks: 1 });
    expect(await run(a.add(1))).toEqual([-(2 ** 31), 6]);
  });

  it('astype truncates, wraps, and converts to bool', async () => {
    const a = da.fromArray([-1.7, 0, 2.9, 300], { chunks: 3 });
    expect(await run(a.astype('int32'))).toEqual([-1, 0, 2, 300]);
    expect(await run(a.astype('uint8'))).toEqual([255, 0, 2, 44]);
    expect(await run(a.astype('bool'))).toEqual([true, false, true, true]);
    expect(await run(a.astype('int32').mul(0.5))).toEqual([-0.5, 0, 1, 150]);
    expect(await run(a.astype('int64'))).toEqual([-1n, 0n, 2n, 300n]);
    expect(await run(a.astype('int64').astype('float64'))).toEqual([-1, 0, 2, 300]);
  });

  it('refuses to mix 64-bit integers with other dtypes, naming both', () => {
    const a = da.zeros(3, { dtype: 'int64' });
    const b = da.zeros(3);
    expect(() => a.add(b)).toThrowError(expect.objectContaining({ code: 'E_DTYPE' }));
    expect(() => a.add(b)).toThrow(/int64 and float64/);
    expect(() => a.div(a)).toThrow(/div is not defined for int64.*astype\('float64'\)/);
  });
});

describe('transpose', () => {
  const squareChunks = chunkings2d(5, 5);
  chunkings2d(4, 5).forEach((chunks, c) => {
    it(`.T and x + x.T with chunks ${JSON.stringify(chunks)}`, async () => {
      const a = da.fromArray(A, { chunks });
      const AT = A[0].map((_: number, j: number) => A.map((r: number[]) => r[j]));
      expect(await run(a.T)).toEqual(AT);
      const sq = da.fromArray(
        nested([5, 5], (i) => i * 1.5),
        { chunks: squareChunks[c] },
      );
      const S = nested([5, 5], (i) => i * 1.5);
      expectClose(
        await run(sq.add(sq.T)),
        S.map((r: number[], i: number) => r.map((v, j) => v + S[j][i])),
      );
    });
  });

  it('permutes axes of a 3-d array', async () => {
    const X = nested([2, 3, 4], (i) => i);
    const x = da.fromArray(X, { chunks: [1, 2, 3] });
    const got = (await run(x.transpose([1, 2, 0]))) as number[][][];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 2; k++) expect(got[i]![j]![k]).toBe(X[k][i][j]);
  });

  it('rejects bad axes', () => {
    const x = da.zeros([2, 3]);
    expect(() => x.transpose([0, 2])).toThrow(/axis 2 is out of range for an array with ndim 2/);
    expect(() => x.transpose([0, 0])).toThrowError(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });
});

describe('blockwise fusion', () => {
  it('random -> x*2 -> mean is one task per chunk plus the combine tree', () => {
    const x = da.random.random(100, { chunks: 10, seed: 1 });
    const m = x.mul(2).mean();
    const { graph } = buildGraph([m[COLLECTION]()]);
    const perChunk = [...graph.values()].filter((n: any) => n.fn?.name === 'reduceProgram');
    expect(perChunk).toHaveLength(10);
    expect(
      [...graph.values()].some(
        (n: any) => n.fn?.name === 'makeBlock' || n.fn?.name === 'evalBlock',
      ),
    ).toBe(false);
  });

  it('x + x.T reads stored x blocks in place, with no transposed copies', () => {
    const x = da.fromArray(
      nested([4, 4], (i) => i),
      { chunks: 2 },
    );
    const g = materialize([x.add(x.T).layer]);
    expect([...g.keys()].filter((k) => k.startsWith('transpose'))).toEqual([]);
    expect(g.size).toBe(4 + 4);
  });

  it('x + x.T of a random x generates both blocks inside each task', async () => {
    const x = da.random.random([5, 5], { chunks: 2, seed: 1 });
    const y = x.add(x.T);
    expect(materialize([y.layer]).size).toBe(9);
    const X = (await run(x)) as number[][];
    expect(await run(y)).toEqual(X.map((r, i) => r.map((v, j) => v + X[j]![i]!)));
  });

  it('draws the fused graph: one reduceProgram per block, then the combine', () => {
    const x = da.random.random([4, 4], { chunks: 2, seed: 1 });
    const dot = x
      .add(x.T)
      .mean()
      .visualize(join(mkdtempSync(join(tmpdir(), 'dusk-')), 'g.dot'));
    expect(dot.match(/label="reduceProgram"/g)).toHaveLength(4);
    expect(dot).not.toMatch(/evalBlock|makeBlock/);
  });

  it('composes chains into one expression', () => {
    const x = da.ones(10, { chunks: 5 });
    const y = x.mul(2).add(1).sqrt().neg();
    expect(y.def.kind).toBe('expr');
    const g = materialize([y.layer]);
    expect(g.size).toBe(2);
  });
});
