import { fromColumns, fromRecords } from '@dusk/dataframe';
import { describe, expect, it } from 'vitest';
import { awkwardFrame, awkwardRows } from './helpers.js';

const values = async (s: { compute(): Promise<{ values(): ArrayLike<unknown> }> }) =>
  Array.from((await s.compute()).values());

describe('series expressions', () => {
  const df = fromColumns(
    { a: [1, -2, 3, null, 5], b: [2, 2, 0, 1, -1], s: ['Ab', 'cD', null, 'ab', 'xyz'] },
    { sizes: [2, 0, 3] },
  );

  it('arithmetic with series and scalars (nulls propagate, Python modulo)', async () => {
    expect(await values(df.col('a').add(df.col('b')))).toEqual([3, 0, 3, null, 4]);
    expect(await values(df.col('a').sub(1).mul(2))).toEqual([0, -6, 4, null, 8]);
    expect(await values(df.col('a').div(df.col('b')))).toEqual([0.5, -1, Infinity, null, -5]);
    expect(await values(df.col('a').mod(3))).toEqual([1, 1, 0, null, 2]);
    expect(await values(df.col('a').floordiv(2))).toEqual([0, -1, 1, null, 2]);
    expect(await values(df.col('b').pow(2))).toEqual([4, 4, 0, 1, 1]);
    expect(await values(df.col('a').neg().abs())).toEqual([1, 2, 3, null, 5]);
  });

  it('comparisons and logic give bools', async () => {
    expect(await values(df.col('a').gt(df.col('b')))).toEqual([false, false, true, null, true]);
    expect(await values(df.col('a').le(1).or(df.col('b').eq(-1)))).toEqual([
      true,
      true,
      false,
      null,
      true,
    ]);
    expect(await values(df.col('b').ne(2).and(df.col('b').ge(0)).not())).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(await values(df.col('s').eq('ab'))).toEqual([false, false, null, true, false]);
    expect(await values(df.col('s').isin(['Ab', 'xyz']))).toEqual([true, false, null, false, true]);
  });

  it('isna, fillna, astype', async () => {
    expect(await values(df.col('a').isna())).toEqual([false, false, false, true, false]);
    expect(await values(df.col('a').fillna(0))).toEqual([1, -2, 3, 0, 5]);
    expect(await values(df.col('s').fillna('?'))).toEqual(['Ab', 'cD', '?', 'ab', 'xyz']);
    expect(await values(df.col('a').div(2).astype('int32'))).toEqual([0, -1, 1, null, 2]);
    expect((await df.col('a').astype('float32').compute()).dtypes.a).toBe('float32');
    expect(await values(df.col('b').astype('bool'))).toEqual([true, true, false, true, true]);
  });

  it('.str lower, upper, len, contains on dictionary strings', async () => {
    expect(await values(df.col('s').str.lower())).toEqual(['ab', 'cd', null, 'ab', 'xyz']);
    expect(await values(df.col('s').str.upper())).toEqual(['AB', 'CD', null, 'AB', 'XYZ']);
    expect(await values(df.col('s').str.len())).toEqual([2, 2, null, 2, 3]);
    expect(await values(df.col('s').str.contains('b'))).toEqual([true, false, null, true, false]);
    expect(await values(df.col('s').str.contains('^a', { case: false }))).toEqual([
      true,
      false,
      null,
      true,
      false,
    ]);
    expect(() => df.col('a').str).toThrow(expect.objectContaining({ code: 'E_DTYPE' }));
  });

  it('map applies a lambda per value with meta (the weather notebook)', async () => {
    const w = fromColumns({ temperature: [-10, 0, 25.5, 50] }, { npartitions: 3 });
    const f = w.assign({
      temperature_fahrenheit: w
        .col('temperature')
        .map((t) => (t * 9) / 5 + 32, { meta: ['temperature', 'float64'] }),
    });
    expect(Array.from((await f.compute()).get('temperature_fahrenheit'))).toEqual([
      14, 32, 77.9, 122,
    ]);
    expect(await values(w.col('temperature').map((t) => (t > 0 ? 'warm' : 'cold')))).toEqual([
      'cold',
      'cold',
      'warm',
      'warm',
    ]);
  });

  it('map skips nulls and checks each result against the meta, naming partition and row', async () => {
    expect(await values(df.col('a').map((x) => x * 10, { meta: ['a', 'float64'] }))).toEqual([
      10,
      -20,
      30,
      null,
      50,
    ]);
    const bad = df.col('a').map((x) => (x > 2 ? 'big' : x), { meta: ['a', 'float64'] });
    await expect(bad.compute({ scheduler: 'sync' })).rejects.toMatchObject({
      code: 'E_TASK_FAILED',
      message: expect.stringMatching(
        /returned string "big" at row 0 of partition 2, but its meta says float64/,
      ),
    });
  });

  it('map refuses closures and says what meta to pass when it cannot infer', () => {
    const k = 3;
    expect(() => df.col('a').map((x) => x * k)).toThrow(
      expect.objectContaining({ code: 'E_FREE_VARIABLE' }),
    );
    expect(() => df.col('a').map(() => undefined)).toThrow(
      expect.objectContaining({
        code: 'E_META_REQUIRED',
        message: expect.stringContaining("{ meta: ['a', 'float64'] }"),
      }),
    );
  });

  it('apply with axis 1 calls the function per row', async () => {
    const r = fromRecords(
      [
        { p: 2, u: 3 },
        { p: 1.5, u: 2 },
      ],
      { npartitions: 2 },
    );
    expect(await values(r.apply((row) => row.p * row.u, { meta: ['total', 'float64'] }))).toEqual([
      6, 3,
    ]);
    await expect(
      r
        .apply((row) => String(row.p), { meta: ['total', 'float64'] })
        .compute({ scheduler: 'sync' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('at row 0 of partition 0'),
    });
  });

  it('nlargest and nsmallest of a series keep ties in row order', async () => {
    const s = fromColumns({ v: [3, 9, 1, 9, 7, null, 3] }, { sizes: [3, 0, 1, 3] }).col('v');
    expect(await values(s.nlargest(3))).toEqual([9, 9, 7]);
    expect(await values(s.nsmallest(3))).toEqual([1, 3, 3]);
  });

  it('head and tail of a series', async () => {
    const rows = awkwardRows();
    const df2 = awkwardFrame();
    expect(Array.from((await df2.col('i32').head(4)).values())).toEqual(
      rows.slice(0, 4).map((r) => r.i32),
    );
    expect(Array.from((await df2.col('i32').tail(2)).values())).toEqual(
      rows.slice(-2).map((r) => r.i32),
    );
  });

  it('quantile is exact on small partitions', async () => {
    const s = fromColumns({ x: [1, 2, 3, 4, 5] }, { npartitions: 2 }).col('x');
    expect(await s.quantile(0.5).compute()).toBe(3);
    expect(await s.quantile([0, 0.25, 1]).compute()).toEqual([1, 2, 5]);
  });

  it('types operations when the frame is built', () => {
    expect(() => df.col('s').mul(2)).toThrow(
      expect.objectContaining({
        code: 'E_DTYPE',
        message: expect.stringContaining("mul cannot take column 's' of dtype string"),
      }),
    );
    expect(() => df.col('s').gt(2)).toThrow(expect.objectContaining({ code: 'E_DTYPE' }));
    expect(() => df.col('missing')).toThrow(
      expect.objectContaining({
        code: 'E_COLUMN_NOT_FOUND',
        message: "Column 'missing' is not in the frame. Available columns: 'a', 'b', 's'.",
      }),
    );
  });
});
