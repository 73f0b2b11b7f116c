import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { nested, run } from './helpers.js';

const A = nested([2, 3], (i) => i);
const B = nested([1, 3], (i) => 10 + i);

describe('concatenate', () => {
  it('joins along an axis, keeping blocks', async () => {
    const a = da.fromArray(A, { chunks: [1, 2] });
    const b = da.fromArray(B, { chunks: [1, 3] });
    const c = da.concatenate([a, b], 0);
    expect(c.shape).toEqual([3, 3]);
    expect(c.chunks).toEqual([
      [1, 1, 1],
      [2, 1],
    ]);
    expect(await run(c)).toEqual([...A, ...B]);
    expect(await run(da.concatenate([a, a], -1))).toEqual(A.map((r: number[]) => [...r, ...r]));
  });

  it('promotes dtypes and rejects shapes that do not fit', async () => {
    const i = da.arange(3);
    const f = da.fromArray([0.5]);
    const c = da.concatenate([i, f]);
    expect(c.dtype).toBe('float64');
    expect(await run(c)).toEqual([0, 1, 2, 0.5]);
    expect(() => da.concatenate([da.zeros([2, 3]), da.zeros([2, 4])], 0)).toThrow(
      /shapes \(2, 3\) and \(2, 4\) differ outside axis 0/,
    );
    expect(() => da.concatenate([da.zeros(2), da.zeros(2, { dtype: 'int64' })])).toThrow(
      /mismatched dtypes float64 and int64/,
    );
  });
});

describe('stack, expandDims, squeeze', () => {
  it('stack adds an axis', async () => {
    const a = da.fromArray([1, 2, 3], { chunks: 2 });
    const b = da.fromArray([4, 5, 6], { chunks: 1 });
    expect(await run(da.stack([a, b]))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await run(da.stack([a, b], 1))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(() => da.stack([a, da.zeros(4)])).toThrow(/same shape, got \(3,\) and \(4,\)/);
  });

  it('expandDims and squeeze are inverses', async () => {
    const a = da.fromArray(A, { chunks: 1 });
    const e = da.expandDims(a, 1);
    expect(e.shape).toEqual([2, 1, 3]);
    expect(await run(e)).toEqual(A.map((r: number[]) => [r]));
    expect(await run(da.squeeze(e, 1))).toEqual(A);
    expect(() => da.squeeze(a, 0)).toThrow(/axis 0 has length 2, not 1/);
  });
});
