import { fromColumns, type GroupByOptions } from '@dusk/dataframe';
import { describe, expect, it } from 'vitest';
import { awkwardFrame, awkwardRows, close, groupRows, ref } from './helpers.js';

const FNS = [
  'sum',
  'mean',
  'count',
  'min',
  'max',
  'std',
  'var',
  'first',
  'last',
  'nunique',
] as const;

function expectRows(got: Record<string, unknown>[], want: Record<string, unknown>[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    for (const [k, v] of Object.entries(want[i]!)) {
      expect(close(g[k] as any, v as any), `row ${i} ${k}: ${g[k]} vs ${v}`).toBe(true);
    }
  });
}

describe('groupby', () => {
  const rows = awkwardRows();

  for (const fn of FNS) {
    it(`${fn} per key matches a plain loop (keys with '-' and '|', null key dropped)`, async () => {
      const got = (
        await (awkwardFrame().groupby('key').col('x') as any)[fn]().compute()
      ).toRecords();
      const want = groupRows(rows, ['key']).map(([k, rs]) => ({
        key: k[0],
        x: ref(
          rs.map((r) => r.x),
          fn,
        ),
      }));
      expectRows(
        got,
        want.map((w) => ({ ...w, x: w.x === null ? null : w.x })),
      );
    });
  }

  it('size counts rows, nulls included', async () => {
    const got = (await awkwardFrame().groupby('key').size().compute()).toRecords();
    expect(got).toEqual(
      groupRows(rows, ['key']).map(([k, rs]) => ({ key: k[0], size: rs.length })),
    );
  });

  it('groups by several keys (string, bool, integer), never mixing keys that contain separators', async () => {
    const got = (
      await awkwardFrame().groupby(['key', 'flag', 'i32']).agg({ x: 'sum' }).compute()
    ).toRecords();
    const want = groupRows(rows, ['key', 'flag', 'i32']).map(([k, rs]) => ({
      key: k[0],
      flag: k[1],
      i32: k[2],
      x: ref(
        rs.map((r) => r.x),
        'sum',
      ),
    }));
    expectRows(got, want);
  });

  it('names outputs: one function keeps the column name, lists add the function, objects name them', async () => {
    const df = awkwardFrame();
    const t = await df
      .groupby('key')
      .agg({ x: ['min', 'max'], i32: { total: 'sum', n: 'count' }, flag: 'sum' })
      .compute();
    expect(t.columns).toEqual(['x_min', 'x_max', 'total', 'n', 'flag']);
    expect(t.index).toEqual(['key']);
    const want = groupRows(rows, ['key']).map(([k, rs]) => ({
      key: k[0],
      x_min: ref(
        rs.map((r) => r.x),
        'min',
      ),
      total: ref(
        rs.map((r) => r.i32),
        'sum',
      ),
      n: ref(
        rs.map((r) => r.i32),
        'count',
      ),
      flag: ref(
        rs.map((r) => r.flag),
        'sum',
      ),
    }));
    expectRows(t.toRecords(), want);
  });

  it('refuses outputs that would collide', () => {
    const df = fromColumns({ k: ['a'], x: [1], x_sum: [2] });
    expect(() => df.groupby('k').agg({ x: ['sum'], x_sum: 'sum' })).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_ARGUMENT',
        message: expect.stringContaining("'x_sum' would appear twice"),
      }),
    );
  });

  it('handles thousands of groups, with and without splitOut, sorted or not', async () => {
    const n = 6000;
    const k = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 3001);
    const v = Float64Array.from({ length: n }, (_, i) => i % 13);
    const df = fromColumns({ k, v }, { npartitions: 9 });
    const want = new Map<number, number>();
    for (let i = 0; i < n; i++) want.set(k[i]!, (want.get(k[i]!) ?? 0) + v[i]!);
    const sorted = [...want].sort((a, b) => a[0] - b[0]).map(([key, s]) => ({ k: key, v: s }));
    for (const opts of [{}, { splitOut: 4 }, { splitOut: 3, splitEvery: 2 }] as GroupByOptions[]) {
      const got = (await df.groupby('k', opts).col('v').sum().compute()).toRecords();
      expect(got).toEqual(sorted);
    }
    const unsorted = (
      await df.groupby('k', { sort: false, splitOut: 2 }).col('v').sum().compute()
    ).toRecords();
    expect([...unsorted].sort((a, b) => (a.k as number) - (b.k as number))).toEqual(sorted);
    expect(df.groupby('k', { splitOut: 4 }).col('v').sum().frame.npartitions).toBe(4);
  });

  it('float keys over many groups combine as a Map would: -0 is 0, NaN dropped, every statistic', async () => {
    // 40,000 rows, ~20,000 groups over 7 partitions, each combine step's number index much
    // fuller than a partition's; -0 and 0 are one group and NaN keys drop, as pandas does.
    const n = 40_000;
    const k = Float64Array.from({ length: n }, (_, i) => {
      if (i % 1013 === 0) return Number.NaN;
      if (i % 517 === 0) return (i / 517) % 3 === 1 ? 0 : -0;
      return ((i * 7919) % 20011) * 0.5 - 3000;
    });
    const v = Float64Array.from({ length: n }, (_, i) => (i % 17) - 4.25);
    const df = fromColumns({ k, v }, { npartitions: 7 });
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(k[i]!)) continue;
      const key = k[i] === 0 ? 0 : k[i]!;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(v[i]!);
    }
    const keys = [...groups.keys()].sort((a, b) => a - b);
    for (const opts of [{}, { splitOut: 3 }] as GroupByOptions[]) {
      const got = (
        await df
          .groupby('k', opts)
          .agg({ v: ['sum', 'mean', 'std', 'min', 'max', 'first', 'last', 'count', 'nunique'] })
          .compute({ scheduler: 'threads' })
      ).toRecords();
      // The group of 0 and -0 shows the key as first seen (pandas does the same).
      expect(got.map((r) => ((r.k as number) === 0 ? 0 : r.k))).toEqual(keys);
      for (const [g, row] of got.entries()) {
        const xs = groups.get(keys[g]!)!;
        for (const fn of ['sum', 'mean', 'std', 'min', 'max', 'count', 'nunique'])
          expect(close(row[`v_${fn}`] ?? row[fn], ref(xs, fn)), `${keys[g]} ${fn}`).toBe(true);
        expect([row.v_first ?? row.first, row.v_last ?? row.last]).toEqual([xs[0], xs.at(-1)]);
      }
    }
  });

  it('integer keys: dense by value range when narrow, hashed when wide, negative values too', async () => {
    const narrow = Int32Array.from([-3, 5, -3, 0, 5, 5]);
    const wide = Int32Array.from([-2_000_000_000, 7, 2_000_000_000, 7, -2_000_000_000, 1]);
    const v = [1, 2, 3, 4, 5, 6];
    for (const k of [narrow, wide]) {
      const df = fromColumns({ k, v }, { npartitions: 2 });
      const want = new Map<number, number>();
      for (let i = 0; i < k.length; i++) want.set(k[i]!, (want.get(k[i]!) ?? 0) + v[i]!);
      const got = (await df.groupby('k').col('v').sum().compute()).toRecords();
      expect(got).toEqual(
        [...want].sort((a, b) => a[0] - b[0]).map(([key, s]) => ({ k: key, v: s })),
      );
    }
  });

  it('handles one group and empty partitions', async () => {
    const df = fromColumns({ k: ['only', 'only', 'only'], v: [1, 2, 3] }, { sizes: [0, 3, 0] });
    expect((await df.groupby('k').col('v').mean().compute()).toRecords()).toEqual([
      { k: 'only', v: 2 },
    ]);
  });

  it('groups on a computed frame with a filter pushed into the same loop', async () => {
    const df = fromColumns(
      { c: ['A', 'B', 'A', 'B'], p: [1, 2, 3, 4], u: [10, 10, 1, 1] },
      { npartitions: 2 },
    );
    const t = df.assign({ total: df.col('p').mul(df.col('u')) });
    const big = t.filter(t.col('total').gt(3));
    expect((await big.groupby('c').col('total').sum().compute()).toRecords()).toEqual([
      { c: 'A', total: 10 },
      { c: 'B', total: 24 },
    ]);
  });

  it('prints like pandas', async () => {
    const df = fromColumns(
      { category: ['Toys', 'Books', 'Toys'], total_sales: [1.5, 2.25, 3] },
      { npartitions: 2 },
    );
    const s = await df.groupby('category').col('total_sales').sum().compute();
    expect(String(s)).toBe(
      'category\nBooks    2.25\nToys     4.50\nName: total_sales, dtype: float64',
    );
  });

  it('valueCounts counts distinct values, most frequent first', async () => {
    const df = fromColumns({ s: ['b', 'a', 'b', null, 'c', 'b', 'a'] }, { npartitions: 3 });
    expect((await df.col('s').valueCounts().compute()).toRecords()).toEqual([
      { s: 'b', count: 3 },
      { s: 'a', count: 2 },
      { s: 'c', count: 1 },
    ]);
  });

  it('errors name the column and the dtype', () => {
    const df = awkwardFrame();
    expect(() => df.groupby('nope')).toThrow(
      expect.objectContaining({
        code: 'E_COLUMN_NOT_FOUND',
        message: expect.stringContaining("'nope'"),
      }),
    );
    expect(() => df.groupby('i32').col('key').sum()).toThrow(
      expect.objectContaining({
        code: 'E_DTYPE',
        message: expect.stringContaining("column 'key' of dtype string"),
      }),
    );
    expect(() => df.groupby('i32').agg({ x: 'median' as any })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });
});
