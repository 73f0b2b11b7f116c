import * as da from '@dusk/array';
import { NdArray } from '@dusk/array';
import { describe, expect, it } from 'vitest';

describe('NdArray', () => {
  const m = new NdArray(Float64Array.of(1, 2.5, 3, 4, 5, 6), [2, 3], 'float64');

  it('gets elements with negative indices and checks bounds', () => {
    expect(m.get(0, 1)).toBe(2.5);
    expect(m.get(-1, -1)).toBe(6);
    expect(() => m.get(2, 0)).toThrow(/index 2 is out of range for axis 0 of length 2/);
    expect(() => m.get(0)).toThrow(/takes 2 indices/);
  });

  it('converts to nested arrays and prints like NumPy', () => {
    expect(m.toArray()).toEqual([
      [1, 2.5, 3],
      [4, 5, 6],
    ]);
    expect(m.toString()).toBe('array([[1, 2.5, 3],\n       [4, 5, 6]], dtype=float64)');
    const b = new NdArray(Uint8Array.of(1, 0), [2], 'bool');
    expect(b.toArray()).toEqual([true, false]);
    expect(String(b)).toBe('array([true, false], dtype=bool)');
  });

  it('wraps long rows at 75 characters', () => {
    const row = new NdArray(
      Float64Array.from({ length: 12 }, (_, i) => i + 0.125),
      [1, 12],
      'float64',
    );
    expect(String(row)).toBe(
      'array([[0.125, 1.125, 2.125, 3.125, 4.125, 5.125, 6.125, 7.125, 8.125,\n' +
        '        9.125, 10.125, 11.125]], dtype=float64)',
    );
  });

  it('abbreviates large arrays', async () => {
    const big = await da.arange(2000, { chunks: 500 }).compute();
    expect(String(big)).toBe('array([0, 1, 2, ..., 1997, 1998, 1999], dtype=int32)');
    expect(big.get(1234)).toBe(1234);
  });

  it('computes 0-d results to plain values', async () => {
    expect(await da.arange(4).sum().compute()).toBe(6);
    expect(await da.arange(4).gt(2).any().compute()).toBe(true);
  });
});
