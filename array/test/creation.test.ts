import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { chunkings1d, expectClose, run } from './helpers.js';

describe('arange', () => {
  for (const chunks of chunkings1d(10)) {
    it(`matches a loop with chunks ${JSON.stringify(chunks)}`, async () => {
      expect(await run(da.arange(10, { chunks }))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await run(da.arange(2, 12, 3, { chunks: 2 }))).toEqual([2, 5, 8, 11]);
      expect(await run(da.arange(5, -5, -2, { chunks: 2 }))).toEqual([5, 3, 1, -1, -3]);
    });
  }

  it('picks int32 for integers and float64 otherwise', async () => {
    expect(da.arange(3).dtype).toBe('int32');
    expect(da.arange(0, 1, 0.25).dtype).toBe('float64');
    expect(await run(da.arange(0, 1, 0.25, { chunks: 3 }))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(da.arange(0, 3e9).dtype).toBe('float64');
    expect(da.arange(4, { dtype: 'uint8' }).dtype).toBe('uint8');
    expect(da.arange(3, 1).shape).toEqual([0]);
  });

  it('rejects a zero step', () => {
    expect(() => da.arange(0, 5, 0)).toThrow(/step non-zero/);
  });
});

describe('linspace', () => {
  it('includes the end point exactly, like NumPy', async () => {
    const got = (await run(da.linspace(0, 1, 7, { chunks: 3 }))) as number[];
    expect(got).toHaveLength(7);
    expect(got[6]).toBe(1);
    expectClose(
      got,
      [0, 1, 2, 3, 4, 5, 6].map((i) => i / 6),
    );
    expect(await run(da.linspace(0, 1, 4, { endpoint: false, chunks: 1 }))).toEqual([
      0, 0.25, 0.5, 0.75,
    ]);
    expect(await run(da.linspace(3, 9, 1))).toEqual([3]);
  });
});

describe('zeros, ones, full', () => {
  it('fill every block', async () => {
    expect(await run(da.zeros([2, 3], { chunks: [1, 2] }))).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(await run(da.ones(5, { chunks: [0, 2, 0, 3], dtype: 'int16' }))).toEqual([
      1, 1, 1, 1, 1,
    ]);
    expect(await run(da.full([2, 2], 7.5, { chunks: 1 }))).toEqual([
      [7.5, 7.5],
      [7.5, 7.5],
    ]);
    expect(await run(da.full(3, true))).toEqual([true, true, true]);
    expect(await run(da.full(2, 5, { dtype: 'int64' }))).toEqual([5n, 5n]);
    expect(await run(da.zeros([]))).toBe(0);
  });

  it('reject bad shapes', () => {
    expect(() => da.zeros([2, -1])).toThrow(/non-negative integers/);
    expect(() => da.zeros(3, { dtype: 'float16' as any })).toThrow(/unknown dtype 'float16'/);
  });
});
