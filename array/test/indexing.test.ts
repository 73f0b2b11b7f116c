import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { chunkings2d, flat, nested, run } from './helpers.js';

const M = nested([4, 5], (i) => (i * 7) % 10);

describe('take', () => {
  for (const chunks of chunkings2d(4, 5)) {
    it(`picks positions along an axis with chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(M, { chunks });
      expect(await run(x.take([3, 0, -1, 3], 0))).toEqual([M[3], M[0], M[3], M[3]]);
      expect(await run(x.take([4, 1], 1))).toEqual(M.map((r: number[]) => [r[4], r[1]]));
      expect(await run(x.take([], 1))).toEqual(M.map(() => []));
    });
  }

  it('rejects out-of-range positions', () => {
    expect(() => da.zeros(3).take([3])).toThrow(
      /index 3 \(position 0\) is out of range for axis 0 with length 3/,
    );
  });
});

describe('boolean masks', () => {
  for (const chunks of chunkings2d(4, 5)) {
    it(`select elements with unknown chunk sizes, chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(M, { chunks });
      const sel = x.mask(x.gt(4));
      expect(sel.ndim).toBe(1);
      expect(Number.isNaN(sel.shape[0])).toBe(true);
      expect(sel.chunks[0]!.every(Number.isNaN)).toBe(true);
      const got = (await run(sel)) as number[];
      const want = flat(M).filter((v) => v > 4);
      expect([...got].sort()).toEqual([...want].sort());
      expect(await run(sel.sum())).toBe(want.reduce((a, b) => a + b, 0));
      expect(await run(sel.mul(2).max())).toBe(2 * Math.max(...want));
      const known = await sel.computeChunkSizes();
      expect(known.shape).toEqual([want.length]);
      expect(known.chunks[0]!.reduce((a, b) => a + b, 0)).toBe(want.length);
      expect(await run(known.slice('::-1'))).toEqual([...got].reverse());
    });
  }

  it('select rows with a mask over the first axis (C order within one column of blocks)', async () => {
    const x = da.fromArray(M, { chunks: [2, 5] });
    const rows = da.fromArray([true, false, true, true]);
    expect(await run(x.mask(rows))).toEqual([M[0], M[2], M[3]]);
  });

  it('leave rows of unknown length usable: whole-axis slices and reductions along other axes', async () => {
    const x = da.fromArray(M, { chunks: [3, 2] });
    const rows = x.mask(da.fromArray([true, false, true, true], { chunks: 2 }));
    const want = [M[0], M[2], M[3]];
    expect(await run(rows.slice(null, '1:3'))).toEqual(want.map((r) => r.slice(1, 3)));
    expect(await run(rows.slice(':', -1))).toEqual(want.map((r) => r[4]));
    expect(await run(rows.sum({ axis: 1 }))).toEqual(
      want.map((r) => r.reduce((a: number, b: number) => a + b, 0)),
    );
    expect(await run(rows.max({ axis: 0 }))).toEqual(
      M[0].map((_: number, j: number) => Math.max(...want.map((r) => r[j]))),
    );
  });

  it('explain misuse', () => {
    const x = da.zeros([2, 3]);
    expect(() => x.mask(da.zeros([2, 3]))).toThrow(/must have dtype bool, got float64/);
    expect(() => x.mask(da.zeros([3], { dtype: 'bool' }))).toThrow(
      /mask of shape \(3\) does not match.*\(2, 3\)/,
    );
    const sel = x.mask(x.gt(0));
    expect(() => sel.rechunk(2)).toThrowError(
      expect.objectContaining({ code: 'E_UNKNOWN_CHUNKS' }),
    );
    expect(() => sel.slice('1:')).toThrow(/computeChunkSizes/);
    expect(() => sel.add(da.fromArray([5]))).toThrow(/broadcasting or transposing/);
    expect(() => x.mask(da.fromArray([true, false])).T).toThrowError(
      expect.objectContaining({ code: 'E_UNKNOWN_CHUNKS' }),
    );
  });
});
