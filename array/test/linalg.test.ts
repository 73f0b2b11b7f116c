import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { chunkings2d, expectClose, nested, run } from './helpers.js';

function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

const A = nested([4, 5], (i) => (i % 6) - 2);
const B = nested([5, 3], (i) => (i % 4) + 0.5);

describe('dot', () => {
  for (const chunks of chunkings2d(4, 5)) {
    it(`multiplies by blocks with chunks ${JSON.stringify(chunks)}`, async () => {
      const a = da.fromArray(A, { chunks });
      const b = da.fromArray(B, { chunks: [2, 2] });
      expectClose(await run(a.dot(b)), matmul(A, B));
      expectClose(
        await run(da.matmul(a, a.T)),
        matmul(
          A,
          A[0].map((_: number, j: number) => A.map((r: number[]) => r[j])),
        ),
      );
    });
  }

  it('takes 1-d operands as vectors', async () => {
    const v = da.fromArray([1, 2, 3, 4, 5], { chunks: 2 });
    expect(await run(v.dot(v))).toBe(55);
    const a = da.fromArray(A, { chunks: 3 });
    expectClose(
      await run(a.dot(v)),
      A.map((r: number[]) => r.reduce((s, x, k) => s + x * (k + 1), 0)),
    );
    const w = da.fromArray([1, 0, 2, 1], { chunks: 3 });
    expectClose(
      await run(w.dot(a)),
      A[0].map((_: number, j: number) => A[0][j] + 2 * A[2][j] + A[3][j]),
    );
  });

  it('feeds a partial reduction into a product (column sums of x @ y)', async () => {
    const a = da.fromArray(A, { chunks: 2 });
    const b = da.fromArray(B, { chunks: 2 });
    const colsums = a.dot(b).sum(0);
    expectClose(
      await run(colsums),
      matmul(A, B).reduce((acc, r) => acc.map((s, j) => s + r[j]!), [0, 0, 0]),
    );
  });

  it("does the course's 500 x 500 matrix multiplication", async () => {
    const a = da.random.random([500, 500], { chunks: 128, seed: 1 });
    const b = da.random.random([500, 500], { chunks: [200, 500], seed: 2 });
    const [A2, B2, C] = (await Promise.all([
      a.compute(),
      b.compute(),
      a.dot(b).compute(),
    ])) as da.NdArray[];
    for (const i of [0, 127, 128, 499]) {
      for (const j of [0, 250, 499]) {
        let s = 0;
        for (let k = 0; k < 500; k++) s += (A2!.get(i, k) as number) * (B2!.get(k, j) as number);
        expect(Math.abs((C!.get(i, j) as number) - s)).toBeLessThan(1e-9);
      }
    }
  });

  it('names both shapes when they are not aligned', () => {
    expect(() => da.zeros([2, 3]).dot(da.zeros([4, 2]))).toThrow(
      /shapes \(2, 3\) and \(4, 2\) are not aligned/,
    );
    expect(() => da.zeros([2, 3, 4]).dot(da.zeros([4]))).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE' }),
    );
  });
});
