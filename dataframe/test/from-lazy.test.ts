import * as da from '@dusk/array';
import { COLLECTION, type CollectionSpec, cull, delayed, layer } from '@dusk/core';
import { type ChunkedArrayLike, fromArray, fromArrays, fromDelayed } from '@dusk/dataframe';
import { buildGraph } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';

/** A stand-in for a 1-d chunked array: literal chunks `{ dtype, shape, data }`. */
function chunked(
  name: string,
  chunks: ArrayLike<number>[],
  dtype: string,
  ctor: any,
): ChunkedArrayLike {
  const keys = chunks.map((_, i) => `${name}:${i}`);
  const l = layer(
    name,
    new Map(
      chunks.map((c, i) => [keys[i]!, { value: { dtype, shape: [c.length], data: ctor.from(c) } }]),
    ),
  );
  return {
    shape: [chunks.reduce((a, c) => a + c.length, 0)],
    chunks: [chunks.map((c) => c.length)],
    dtype,
    [COLLECTION]: (): CollectionSpec => ({
      layer: l,
      keys,
      finalize: (v) => v,
      rebuild: () => {
        throw new Error('no');
      },
    }),
  };
}

describe('frames from lazy collections', () => {
  it('fromDelayed: one partition per delayed value, checked against meta', async () => {
    const load = delayed(
      (i: number) => ({ day: Int32Array.of(i, i), temp: Float64Array.of(i * 1.5, i * 2) }),
      { pure: true },
    );
    const df = fromDelayed([load(1), load(2), load(3)], {
      meta: { day: 'int32', temp: 'float64' },
    });
    expect(df.npartitions).toBe(3);
    expect(await df.col('temp').sum().compute()).toBe(1.5 + 2 + 3 + 4 + 4.5 + 6);
    const bad = fromDelayed([load(1)], { meta: { day: 'int32', temp: 'int32' } });
    await expect(bad.compute()).rejects.toMatchObject({
      message: expect.stringContaining(
        "column 'temp' of partition 0 is float64, but the meta says int32",
      ),
    });
    expect(() => fromDelayed([load(1)], undefined as any)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });

  it('fromArrays: one partition per chunk; integer codes with categories become strings', async () => {
    const price = chunked('price', [[5, 10], [20], [40, 1, 2]], 'float64', Float64Array);
    const cat = chunked('cat', [[0, 1], [0], [2, 2, 1]], 'int32', Int32Array);
    const df = fromArrays(
      { price, category: cat },
      { categories: { category: ['Books', 'Toys', 'Home'] } },
    );
    expect(df.npartitions).toBe(3);
    expect(df.dtypes).toEqual({ price: 'float64', category: 'string' });
    expect((await df.groupby('category').col('price').sum().compute()).toRecords()).toEqual([
      { category: 'Books', price: 25 },
      { category: 'Home', price: 41 },
      { category: 'Toys', price: 12 },
    ]);
    expect(Array.from((await df.head(3)).get('category'))).toEqual(['Books', 'Toys', 'Books']);
  });

  it('fromArrays computes only the columns a result reads', () => {
    const a = chunked('a', [[1], [2]], 'float64', Float64Array);
    const b = chunked('b', [[3], [4]], 'float64', Float64Array);
    const sum = fromArrays({ a, b }).col('a').sum();
    // Keys the result needs, before the optimizer inlines literal chunks into their readers.
    const { graph, keys } = buildGraph([sum[COLLECTION]()], { optimize: false });
    const text = JSON.stringify([...cull(graph, keys).keys()]);
    expect(text).toContain('"a:0"');
    expect(text).not.toContain('"b:0"');
  });

  it('fromArrays refuses category codes outside the categories, naming column and row', async () => {
    const cat = chunked(
      'bad',
      [
        [0, 1],
        [1, 7],
      ],
      'int8',
      Int8Array,
    );
    const df = fromArrays({ c: cat }, { categories: { c: ['x', 'y'] } });
    expect(Array.from((await df.headFrame(2).compute({ scheduler: 'sync' })).get('c'))).toEqual([
      'x',
      'y',
    ]);
    await expect(df.compute({ scheduler: 'sync' })).rejects.toMatchObject({
      message: expect.stringContaining("column 'c' has code 7 at row 1 of its chunk"),
    });
  });

  it('fromArrays refuses mismatched chunks and 2-d arrays', () => {
    const a = chunked('a', [[1], [2]], 'float64', Float64Array);
    const b = chunked('b', [[3, 4]], 'float64', Float64Array);
    expect(() => fromArrays({ a, b })).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_ARGUMENT',
        message: expect.stringContaining('rechunk them alike'),
      }),
    );
    expect(() => fromArrays({ a: { ...a, shape: [1, 2] } as any })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
    expect(() => fromArrays({ a }, { categories: { zz: ['x'] } })).toThrow(
      expect.objectContaining({ message: expect.stringContaining("'zz'") }),
    );
  });
});

describe('fromArray with @dusk/array', () => {
  it('a 1-d array is one column, one partition per chunk', async () => {
    const df = fromArray(da.arange(10, { chunks: 4 }), { column: 'i' });
    expect(df.npartitions).toBe(3);
    expect(await df.col('i').sum().compute()).toBe(45);
  });

  it('a 2-d array gives one column per array column', async () => {
    const x = da.random.random([10, 3], { chunks: [4, 3], seed: 1 });
    const values = (await x.compute()) as da.NdArray;
    const flat = values.data as Float64Array;
    const df = fromArray(x, { columns: ['a', 'b', 'c'] });
    expect(df.npartitions).toBe(3);
    const t = await df.compute();
    expect(Array.from(t.get('b'))).toEqual(Array.from({ length: 10 }, (_, i) => flat[i * 3 + 1]));
    expect(() => fromArray(da.random.random([10, 4], { chunks: [5, 2], seed: 1 }))).toThrow(
      expect.objectContaining({ message: expect.stringContaining('one chunk along its columns') }),
    );
  });
});
