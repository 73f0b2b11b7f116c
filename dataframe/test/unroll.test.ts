/**
 * The unrolled, blocked kernel loops: results follow the documented lane order exactly
 * (row i in lane i % 4, lanes added as (l0 + l1) + (l2 + l3)), whatever the scheduler and
 * however warm the loop is (its first calls run shorter blocks), across ragged ends,
 * several blocks, NaN and nulls.
 */
import { fromColumns } from '@dusk/dataframe';
import { describe, expect, it } from 'vitest';

const N = 50_003; // several 16K-row blocks and a ragged last group of 3 rows
const CATS = ['a', 'b', 'c', 'd', 'e'];

function columns() {
  const x: (number | null)[] = [];
  const t = new Float64Array(N); // many ties, for nlargest
  const key: string[] = [];
  const id = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    id[i] = i;
    t[i] = i % 4001 === 5 ? Number.NaN : Math.round(Math.sin(i) * 50);
    key.push(CATS[(i * 7 + (i >> 5)) % CATS.length]!);
    if (i >= 20_000 && i % 997 === 0) x.push(Number.NaN);
    else if (i >= 40_000 && i % 1009 === 0) x.push(null);
    else x.push(Math.sin(i) * 1000 + i * 1e-3);
  }
  return { x, t, key, id };
}

const present = (v: number | null): v is number => v !== null && !Number.isNaN(v);

/** The sum of the rows `keep` selects, added in the kernels' lane order. */
function laneSum(xs: (number | null)[], keep: (i: number) => boolean = () => true): number {
  const lanes = [0, 0, 0, 0];
  xs.forEach((v, i) => {
    if (present(v) && keep(i)) lanes[i % 4]! += v;
  });
  return lanes[0]! + lanes[1]! + (lanes[2]! + lanes[3]!);
}

describe('unrolled kernel loops', () => {
  const c = columns();
  const df = fromColumns(c, { npartitions: 1, dtypes: { x: 'float64' } });
  const valid = c.x.filter(present);

  it('sum and mean follow the lane order exactly, cold and warm, on sync and threads', async () => {
    const want = laneSum(c.x);
    const runs: number[] = [];
    for (const scheduler of ['sync', 'sync', 'threads', 'threads'])
      runs.push(await df.col('x').sum().compute({ scheduler }));
    for (const got of runs) expect(Object.is(got, want), `${got} vs ${want}`).toBe(true);
    const mean = await df.col('x').mean().compute({ scheduler: 'sync' });
    expect(Object.is(mean, want / valid.length)).toBe(true);
    expect(await df.col('x').count().compute()).toBe(valid.length);
  });

  it('min, max and count skip NaN and nulls in every block', async () => {
    expect(await df.col('x').min().compute()).toBe(Math.min(...valid));
    expect(await df.col('x').max().compute()).toBe(Math.max(...valid));
    expect(await df.col('x').size().compute()).toBe(N);
  });

  it('a filter skips rows inside unrolled lanes', async () => {
    const kept = df.filter(df.col('key').eq('b'));
    const want = laneSum(c.x, (i) => c.key[i] === 'b');
    expect(Object.is(await kept.col('x').sum().compute({ scheduler: 'sync' }), want)).toBe(true);
    expect(Object.is(await kept.col('x').sum().compute({ scheduler: 'threads' }), want)).toBe(true);
  });

  it('groupby sums over dictionary codes follow the lane order per group', async () => {
    for (const scheduler of ['sync', 'threads']) {
      const got = (await df.groupby('key').col('x').sum().compute({ scheduler })).toRecords();
      expect(got.map((r) => r.key)).toEqual(CATS);
      for (const r of got) {
        const want = laneSum(c.x, (i) => c.key[i] === r.key);
        expect(Object.is(r.x, want), `${r.key}: ${r.x} vs ${want}`).toBe(true);
      }
    }
  });

  it('groupby by a dictionary and a boolean key (slots laid out in the code) keeps the lane order', async () => {
    const flag = Array.from({ length: N }, (_, i) => (i * 13) % 7 < 3);
    const two = fromColumns({ ...c, flag }, { npartitions: 2, dtypes: { x: 'float64' } });
    const half = Math.ceil(N / 2);
    for (const scheduler of ['sync', 'threads']) {
      const got = (
        await two.groupby(['key', 'flag']).col('x').sum().compute({ scheduler })
      ).toRecords();
      expect(got.length).toBe(CATS.length * 2);
      for (const r of got) {
        const inGroup = (i: number) => c.key[i] === r.key && flag[i] === r.flag;
        // Each partition adds in lane order; the two partials are then added in order.
        const first = laneSum(c.x.slice(0, half), inGroup);
        const second = laneSum(c.x.slice(half), (i) => inGroup(i + half));
        expect(Object.is(r.x, first + second), `${r.key}/${r.flag}: ${r.x}`).toBe(true);
      }
    }
  });

  it('groupby sums and means of a NaN-bearing column without nulls skip NaN and keep the lane order', async () => {
    // No nulls: the loop first adds without NaN tests and redoes a block that met a NaN.
    const y = Float64Array.from({ length: N }, (_, i) =>
      i % 5003 === 7 ? Number.NaN : Math.cos(i) * 100 + i * 1e-3,
    );
    // Group 'e' also gets +Infinity and -Infinity in one block: its sum is NaN, as in pandas.
    const yInf = y.slice();
    const eRows = c.key.flatMap((k, i) => (k === 'e' ? [i] : []));
    yInf[eRows[10]!] = Number.POSITIVE_INFINITY;
    yInf[eRows[20]!] = Number.NEGATIVE_INFINITY;
    const present = (v: number) => !Number.isNaN(v);
    for (const [values, infs] of [
      [y, false],
      [yInf, true],
    ] as const) {
      const chunk = Math.ceil(N / 3);
      const df2 = fromColumns({ key: c.key, y: values }, { chunksize: chunk });
      const bounds = [0, chunk, 2 * chunk, N];
      for (const scheduler of ['sync', 'threads']) {
        const sums = (await df2.groupby('key').col('y').sum().compute({ scheduler })).toRecords();
        const means = (await df2.groupby('key').col('y').mean().compute({ scheduler })).toRecords();
        for (const [idx, r] of sums.entries()) {
          let want = 0;
          let count = 0;
          for (let p = 0; p < 3; p++) {
            const part = Array.from(values.subarray(bounds[p]!, bounds[p + 1]!));
            want += laneSum(part, (i) => c.key[i + bounds[p]!] === r.key && present(part[i]!));
            count += part.filter((v, i) => c.key[i + bounds[p]!] === r.key && present(v)).length;
          }
          if (infs && r.key === 'e') {
            expect(r.y).toBeNaN();
            expect(means[idx]!.y).toBeNaN();
          } else {
            expect(Object.is(r.y, want), `${scheduler} ${r.key}: ${r.y} vs ${want}`).toBe(true);
            expect(means[idx]!.y).toBeCloseTo(want / count, 9);
          }
        }
      }
    }
  });

  it('groupby sums of several columns, some NaN-bearing, over 20 groups: every block, declined or not, in lane order', async () => {
    // 20 groups keep 80 slots per sum, 160 in all: blocks under 1280 rows (a loop's first
    // ones) are too short for the untested loop's copy of them and go to the tested loop;
    // later blocks run untested, and one that meets a NaN runs again tested. Sums of an
    // integer column ride along.
    const keys = Array.from({ length: 20 }, (_, k) => `k-${k}`);
    const key = Array.from({ length: N }, (_, i) => keys[(i * 31 + (i >> 7)) % 20]!);
    const y = Float64Array.from({ length: N }, (_, i) =>
      i % 7919 === 11 || i === 50 ? Number.NaN : Math.sin(i) * 1e3 + i * 1e-4,
    );
    const z = Int32Array.from({ length: N }, (_, i) => (i % 97) - 40);
    const chunk = Math.ceil(N / 3);
    const bounds = [0, chunk, 2 * chunk, N];
    const df3 = fromColumns({ key, y, z }, { chunksize: chunk });
    for (const scheduler of ['sync', 'threads']) {
      const got = (
        await df3
          .groupby('key')
          .agg({ y: ['sum'], z: ['sum'] })
          .compute({ scheduler })
      ).toRecords();
      expect(got.length).toBe(20);
      for (const r of got) {
        let wantY = 0;
        let wantZ = 0;
        for (let p = 0; p < 3; p++) {
          const [lo, hi] = [bounds[p]!, bounds[p + 1]!];
          const mine = (i: number) => key[i + lo] === r.key;
          wantY += laneSum(Array.from(y.subarray(lo, hi)), mine);
          wantZ += laneSum(Array.from(z.subarray(lo, hi)), mine);
        }
        expect(Object.is(r.y_sum, wantY), `${scheduler} ${r.key}: ${r.y_sum} vs ${wantY}`).toBe(
          true,
        );
        expect(r.z_sum, `${scheduler} ${r.key}: z`).toBe(wantZ);
      }
    }
  });

  it('groupby with more dense groups than LANED_MAX_GROUPS adds each group in row order', async () => {
    const wide = fromColumns(
      { g: Int32Array.from({ length: N }, (_, i) => (i * 7919) % 5001), x: c.x },
      { npartitions: 1, dtypes: { x: 'float64' } },
    );
    const want = new Map<number, number>();
    c.x.forEach((v, i) => {
      const g = (i * 7919) % 5001;
      want.set(g, (want.get(g) ?? 0) + (present(v) ? v : 0));
    });
    const got = (await wide.groupby('g').col('x').sum().compute({ scheduler: 'threads' }))
      .toRecords()
      .filter((r) => !Object.is(r.x, want.get(r.g as number)));
    expect(got).toEqual([]);
  });

  it('nlargest keeps the earliest of tied rows across lanes and blocks', async () => {
    const rows = Array.from(c.t, (v, i) => [v, i] as const).filter(([v]) => !Number.isNaN(v));
    const high = [...rows].sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const low = [...rows].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(high[0]![0]).toBe(high[9]![0]); // the top 10 are all tied
    for (const n of [1, 5, 9]) {
      const got = await df.nlargest(n, 't').compute({ scheduler: 'threads' });
      expect(got.toRecords().map((r) => r.id)).toEqual(high.slice(0, n).map(([, i]) => i));
    }
    const small = await df.nsmallest(3, 't').compute({ scheduler: 'sync' });
    expect(small.toRecords().map((r) => r.id)).toEqual(low.slice(0, 3).map(([, i]) => i));
  });
});
