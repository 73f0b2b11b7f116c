import { fromColumns } from '@dusk/dataframe';
import { compute } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { awkwardFrame, awkwardRows, close, ref } from './helpers.js';

const OPS = ['sum', 'mean', 'count', 'size', 'min', 'max', 'var', 'std', 'nunique'] as const;

describe('reductions', () => {
  const rows = awkwardRows();
  for (const column of ['x', 'i32', 'flag', 'empty']) {
    for (const op of OPS) {
      if (column === 'flag' && (op === 'min' || op === 'max')) continue;
      it(`${op} of ${column} matches a plain loop (empty and one-row partitions, nulls, NaN)`, async () => {
        const df = awkwardFrame();
        const got = await (df.col(column) as any)[op]().compute();
        const want = ref(
          rows.map((r) => r[column]),
          op,
        );
        expect(close(Number(got), want as number), `${got} vs ${want}`).toBe(true);
      });
    }
  }

  it('gives the same answer for every splitEvery', async () => {
    const n = 1000;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 100);
    const df = fromColumns({ x }, { npartitions: 37 });
    const want = ref(Array.from(x), 'var');
    for (const splitEvery of [2, 3, 8, 100]) {
      const got = await df.col('x').var({ splitEvery }).compute();
      expect(close(got, want as number)).toBe(true);
    }
  });

  it('builds a tree: partials combine splitEvery at a time', () => {
    const df = fromColumns({ x: new Float64Array(64) }, { npartitions: 16 });
    const m = df.col('x').sum({ splitEvery: 4 });
    const keys = [...m.layer.tasks.keys()];
    expect(keys.filter((k) => k.includes('-part:')).length).toBe(16);
    expect(keys.filter((k) => k.includes('-combine-0:')).length).toBe(4);
    expect(keys.filter((k) => k.includes('-combine-1:')).length).toBe(0);
  });

  it('reduces an expression and a filter in one pass', async () => {
    const df = fromColumns({ price: [5, 10, 20, 40], units: [4, 3, 2, 1] }, { npartitions: 3 });
    const total = df.col('price').mul(df.col('units'));
    expect(await total.mean().compute()).toBe((20 + 30 + 40 + 40) / 4);
    const big = df.filter(df.col('price').gt(8));
    expect(await big.col('units').sum().compute()).toBe(6);
    expect(await big.col('price').mul(big.col('units')).max().compute()).toBe(40);
  });

  it('refuses a series whose rows do not line up with the frame', () => {
    const df = fromColumns({ price: [5, 10], units: [4, 3] });
    const big = df.filter(df.col('price').gt(8));
    expect(() => big.col('price').mul(df.col('units'))).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_ARGUMENT',
        message: expect.stringContaining("series 'units' belongs to another frame"),
      }),
    );
  });

  it('min, max, count and nunique of strings', async () => {
    const df = awkwardFrame();
    const keys = awkwardRows()
      .map((r) => r.key)
      .filter((k) => k !== null) as string[];
    expect(await df.col('key').min().compute()).toBe([...keys].sort()[0]);
    expect(await df.col('key').max().compute()).toBe([...keys].sort().at(-1));
    expect(await df.col('key').count().compute()).toBe(keys.length);
    expect(await df.col('key').nunique().compute()).toBe(new Set(keys).size);
  });

  it('nunique of narrow dtypes (counted by grouping) and wide ones (by a Map) match a Set, nulls and NaN not counted', async () => {
    const n = 3000;
    const i8 = Int8Array.from({ length: n }, (_, i) => ((i * 37) % 23) - 11);
    const u16 = Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 1500);
    const flags = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i % 3 === 0));
    const words = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `w${i % 17}`));
    const floats = Float64Array.from({ length: n }, (_, i) =>
      i % 13 === 0 ? Number.NaN : i % 29 === 0 ? -0 : (i % 101) / 4,
    );
    const distinct = (xs: ArrayLike<unknown>) =>
      new Set(
        Array.from(xs).filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v))),
      ).size;
    const want = {
      i8: distinct(i8),
      u16: distinct(u16),
      flags: distinct(flags),
      words: distinct(words),
      floats: distinct(floats),
    };
    for (const npartitions of [1, 4]) {
      const df = fromColumns({ i8, u16, flags, words, floats }, { npartitions });
      for (const scheduler of ['sync', 'threads'] as const) {
        for (const [c, v] of Object.entries(want))
          expect(await df.col(c).nunique().compute({ scheduler }), `${c} ${scheduler}`).toBe(v);
        const kept = df.filter(df.col('i8').gt(0));
        expect(await kept.col('words').nunique().compute({ scheduler })).toBe(
          distinct(words.filter((_, i) => i8[i]! > 0)),
        );
      }
    }
    const none = fromColumns({ w: [null, null] as (string | null)[] }, { npartitions: 2 });
    expect(await none.col('w').nunique().compute()).toBe(0);
  });

  it('frame reductions give a series indexed by column', async () => {
    const df = fromColumns(
      { a: [1, 2, 3], b: [0.5, 0.5, 1], s: ['x', 'y', 'x'] },
      { npartitions: 2 },
    );
    const t = await df.sum().compute();
    expect(t.toRecords()).toEqual([
      { '': 'a', sum: 6 },
      { '': 'b', sum: 2 },
    ]);
    expect(String(t)).toBe('a    6.0\nb    2.0\ndtype: float64');
  });

  it('describe matches exact quartiles on small partitions', async () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const df = fromColumns({ x: Float64Array.from(xs) }, { npartitions: 4 });
    const d = (await df.describe().compute()).toRecords();
    const sorted = [...xs].sort((a, b) => a - b);
    const q = (p: number) => {
      const pos = p * (sorted.length - 1);
      const lo = Math.floor(pos);
      return (
        sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (pos - lo)
      );
    };
    expect(d.map((r) => r['']).join(',')).toBe('count,mean,std,min,25%,50%,75%,max');
    const got = d.map((r) => r.x as number);
    const want = [
      xs.length,
      ref(xs, 'mean'),
      ref(xs, 'std'),
      1,
      q(0.25),
      q(0.5),
      q(0.75),
      9,
    ] as number[];
    for (let i = 0; i < got.length; i++) expect(close(got[i], want[i]!)).toBe(true);
  });

  it('computes several reductions in one graph', async () => {
    const df = fromColumns({ x: [1, 2, 3, 4] }, { npartitions: 2 });
    const [s, m] = await compute(df.col('x').sum(), df.col('x').mean());
    expect([s, m]).toEqual([10, 2.5]);
  });

  it('says which dtype an operation cannot take', () => {
    const df = awkwardFrame();
    expect(() => df.col('key').sum()).toThrow(
      expect.objectContaining({
        code: 'E_DTYPE',
        message: expect.stringContaining("sum cannot take column 'key' of dtype string"),
      }),
    );
  });
});
