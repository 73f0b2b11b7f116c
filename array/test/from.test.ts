import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

describe('fromArray', () => {
  it('reads nested arrays, typed arrays with a shape, and NdArrays', async () => {
    expect(
      await run(
        da.fromArray(
          [
            [1, 2],
            [3, 4],
          ],
          { chunks: 1 },
        ),
      ),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const t = da.fromArray(new Int16Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3], chunks: [1, 2] });
    expect(t.dtype).toBe('int16');
    expect(await run(t)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const nd = await t.compute();
    expect(await run(da.fromArray(nd, { chunks: 1 }).T)).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(da.fromArray([true, false]).dtype).toBe('bool');
    expect(await run(da.fromArray([1, 2.5], { dtype: 'int32' }))).toEqual([1, 2]);
    expect(await run(da.fromArray([1n, 2n]))).toEqual([1n, 2n]);
  });

  it('does not see later changes to blocks it already cut', async () => {
    const data = new Float64Array([1, 2, 3]);
    const x = da.fromArray(data, { chunks: 2 });
    data[0] = 99;
    expect(await run(x)).toEqual([1, 2, 3]);
  });

  it('rejects ragged input and wrong shapes', () => {
    expect(() => da.fromArray([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => da.fromArray(new Float64Array(5), { shape: [2, 2] })).toThrow(
      /shape \(2, 2\) does not hold 5 elements/,
    );
  });
});
