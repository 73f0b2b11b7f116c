import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { chunkings1d, chunkings2d, nested, run } from './helpers.js';

/** Python slicing of a list, as the reference. */
function pySlice<T>(v: T[], start: number | null, stop: number | null, step: number | null): T[] {
  const n = v.length;
  const st = step ?? 1;
  const norm = (x: number, lo: number, hi: number) => Math.min(Math.max(x < 0 ? x + n : x, lo), hi);
  const s0 =
    start === null ? (st > 0 ? 0 : n - 1) : norm(start, st > 0 ? 0 : -1, st > 0 ? n : n - 1);
  const e0 = stop === null ? (st > 0 ? n : -1) : norm(stop, st > 0 ? 0 : -1, st > 0 ? n : n - 1);
  const out: T[] = [];
  for (let i = s0; st > 0 ? i < e0 : i > e0; i += st) out.push(v[i]!);
  return out;
}

const V = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const CASES: [number | null, number | null, number | null][] = [
  [null, null, null],
  [2, 7, null],
  [null, null, 2],
  [1, null, 3],
  [null, null, -1],
  [8, 1, -2],
  [-3, null, null],
  [null, -3, -3],
  [5, 5, null],
  [20, 30, null],
  [-20, 3, null],
  [7, -20, -1],
];

describe('1-d slices', () => {
  for (const chunks of chunkings1d(10)) {
    it(`match Python slicing with chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.arange(10, { chunks });
      for (const [a, b, c] of CASES) {
        expect(await run(x.slice([a, b, c])), `[${a}:${b}:${c}]`).toEqual(pySlice(V, a, b, c));
      }
      expect(await run(x.slice('::-3'))).toEqual(pySlice(V, null, null, -3));
      expect(await run(x.slice({ start: 1, step: 4 }))).toEqual([1, 5, 9]);
      expect(await run(x.slice(-1))).toBe(9);
      expect(await run(x.slice(0))).toBe(0);
    });
  }
});

describe('n-d indexing', () => {
  const M = nested([5, 6], (i) => i);
  for (const chunks of chunkings2d(5, 6)) {
    it(`mixes integers and slices with chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(M, { chunks });
      expect(await run(x.slice('1:4', '::-2'))).toEqual(
        M.slice(1, 4).map((r: number[]) => pySlice(r, null, null, -2)),
      );
      expect(await run(x.slice(-2))).toEqual(M[3]);
      expect(await run(x.slice(null, 2))).toEqual(M.map((r: number[]) => r[2]));
      expect(await run(x.slice(4, -1))).toBe(M[4][5]);
      expect(await run(x.slice('::-1', '2:2'))).toEqual([[], [], [], [], []]);
      expect(x.slice('1:4', '::-2').shape).toEqual([3, 3]);
    });
  }

  it('touches only the blocks it needs', () => {
    const x = da.zeros([100, 100], { chunks: 10 });
    const y = x.slice('5:15', 3);
    expect(y.shape).toEqual([10]);
    expect(y.chunks).toEqual([[5, 5]]);
    expect(y.layer.tasks.size).toBe(2);
  });

  it('explains out-of-range indices and bad slices', () => {
    const x = da.zeros([3, 4]);
    expect(() => x.slice(3)).toThrow(/index 3 is out of range for axis 0 with length 3/);
    expect(() => x.slice(0, -5)).toThrow(/index -5 is out of range for axis 1 with length 4/);
    expect(() => x.slice('::0')).toThrow(/step must be a non-zero integer/);
    expect(() => x.slice('a:b')).toThrow(/cannot read 'a:b'/);
    expect(() => x.slice(0, 0, 0)).toThrow(/3 indices for an array with ndim 2/);
  });
});
