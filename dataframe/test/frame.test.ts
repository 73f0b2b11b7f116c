import { COLLECTION, cull, isShared, materialize } from '@dusk/core';
import { fromColumns, fromRecords } from '@dusk/dataframe';
import { buildGraph, getPool } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { awkwardFrame, awkwardRows } from './helpers.js';

describe('frame operations', () => {
  const df = fromColumns(
    { a: [1, 2, 3, 4], b: [0.5, null, 1.5, 2], s: ['x', 'y', null, 'x'] },
    { sizes: [1, 0, 3] },
  );

  it('assign adds and replaces columns, select/drop/rename reshape', async () => {
    const t = df.assign({ c: df.col('a').mul(df.col('b')), a: 0, d: (f) => f.col('s').eq('x') });
    expect(t.columns).toEqual(['a', 'b', 's', 'c', 'd']);
    expect((await t.compute()).toRecords()).toEqual([
      { a: 0, b: 0.5, s: 'x', c: 0.5, d: true },
      { a: 0, b: null, s: 'y', c: null, d: false },
      { a: 0, b: 1.5, s: null, c: 4.5, d: null },
      { a: 0, b: 2, s: 'x', c: 8, d: true },
    ]);
    expect((await df.select(['s', 'a']).compute()).columns).toEqual(['s', 'a']);
    expect(df.drop('b').columns).toEqual(['a', 's']);
    const r = df.rename({ a: 'alpha' });
    expect(Array.from((await r.compute()).get('alpha'))).toEqual([1, 2, 3, 4]);
  });

  it('astype, fillna and isna on the whole frame', async () => {
    expect(df.astype({ a: 'float64' }).dtypes).toEqual({ a: 'float64', b: 'float64', s: 'string' });
    expect(
      (await df.fillna({ b: -1, s: '?' }).compute()).toRecords().map((r) => [r.b, r.s]),
    ).toEqual([
      [0.5, 'x'],
      [-1, 'y'],
      [1.5, '?'],
      [2, 'x'],
    ]);
    expect((await df.fillna(0).compute()).toRecords()[1]!.b).toBe(0);
    expect((await df.isna().compute()).toRecords()[2]).toEqual({ a: false, b: false, s: true });
  });

  it('filter keeps rows where the mask is true (null counts as false)', async () => {
    const f = df.filter(df.col('b').gt(1));
    expect(Array.from((await f.compute()).get('a'))).toEqual([3, 4]);
    expect(() => df.filter(df.col('a'))).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });

  it('columns by property with df.c', async () => {
    expect(await df.c.a!.sum().compute()).toBe(10);
    expect('a' in df.c).toBe(true);
  });

  it('pushes filters to the source and reads only the columns used', () => {
    const wide = fromColumns(
      { p: [1, 2], u: [3, 4], unused: [5, 6], k: ['a', 'b'] },
      { npartitions: 2 },
    );
    const t = wide.assign({ total: wide.col('p').mul(wide.col('u')) });
    const f = t.filter(t.col('total').gt(3)).select(['k', 'total']);
    const plan = f.explain();
    expect(plan).toContain('Filter[gt(mul(p, u), 3)]');
    expect(plan).toContain('reads: p, u, k');
    expect(plan).not.toMatch(/reads:.*unused/);
    // The graph holds zero-copy selections of the used columns only.
    const graph = materialize([f[COLLECTION]().layer]);
    const tables = [...graph.values()].filter((n) => 'value' in n).map((n) => (n as any).value);
    expect(tables.every((t) => t.schema.fields.map((x: any) => x.name).join() === 'p,u,k')).toBe(
      true,
    );
  });

  it('leaves partitions on shared memory whole (threads read them in place)', async () => {
    const n = 20_000; // 160 KB a column: shared memory, as persisted partitions are
    const onShared = (xs: number[]) => {
      const a = new Float64Array(new SharedArrayBuffer(8 * n));
      for (let i = 0; i < n; i++) a[i] = xs[i % xs.length]!;
      return a;
    };
    const wide = fromColumns(
      { p: onShared([1, 2]), u: onShared([3, 4]), unused: onShared([5, 6]) },
      { npartitions: 2 },
    );
    const t = wide.assign({ total: wide.col('p').mul(wide.col('u')) });
    expect(t.explain()).toContain('reads: p, u');
    // The same table objects every compute: thread workers keep the ones they were sent.
    const graph = materialize([t.col('total').sum()[COLLECTION]().layer]);
    const tables = [...graph.values()].filter((n) => 'value' in n).map((n) => (n as any).value);
    expect(tables).toHaveLength(2);
    expect(tables.every((x) => x.schema.fields.length === 3)).toBe(true);
    const again = materialize([t.col('p').max()[COLLECTION]().layer]);
    const same = [...again.values()].filter((n) => 'value' in n).map((n) => (n as any).value);
    expect(same).toEqual(tables);
    expect(same.every((x, i) => x === tables[i])).toBe(true);
    expect(await t.col('total').sum().compute()).toBe((n / 2) * (3 + 8));
  });

  it('persists partitions on shared memory whatever their size: thread workers keep them', async () => {
    // Small columns (a few KB) live on ordinary memory; persisted, they are copied to shared
    // memory once, so a compute sends each worker a partition only the first time.
    const rows = 3000;
    const small = fromColumns(
      {
        k: Array.from({ length: rows }, (_, i) => ['a', 'b', 'c'][i % 3]!),
        x: Int8Array.from({ length: rows }, (_, i) => i % 7),
        y: Float64Array.from({ length: rows }, (_, i) => i / 2),
      },
      { npartitions: 3 },
    );
    const opts = { scheduler: 'threads', workers: 2 } as const;
    const kept = await small.assign({ z: small.col('y').mul(small.col('x')) }).persist(opts);
    const tables = (kept.plan as any).source.tables as any[];
    expect(tables).toHaveLength(3);
    for (const t of tables)
      for (const d of t.data[0].children) expect(isShared(d.values)).toBe(true);
    let want = 0;
    for (let i = 0; i < rows; i++) want += (i / 2) * (i % 7);
    const sum = () => kept.col('z').sum().compute(opts);
    expect(await sum()).toBe(want);
    const stats = getPool('threads').stats;
    const before = stats.taskBytes;
    expect(await sum()).toBe(want);
    // The second compute's tasks name the partitions by number: no column bytes travel.
    expect(stats.taskBytes - before).toBe(0);
    expect(await kept.col('z').sum().compute({ scheduler: 'sync' })).toBe(want);
  });

  it('explain prints the logical plan and the optimized one', () => {
    const f = df.assign({ c: df.col('a').add(1) });
    expect(f.explain()).toBe(
      [
        '== logical plan ==',
        'Assign[a, b, s, c := add(a, 1)]',
        '  Source[from-columns, 3 partitions, columns: a, b, s]',
        '== optimized ==',
        'Project[a, b, s, c := add(a, 1)]',
        '  Source[from-columns, 3 partitions, columns: a, b, s] reads: a, b, s',
      ].join('\n'),
    );
  });

  it('nlargest / nsmallest on one or several columns, ties in row order, nulls dropped', async () => {
    const rows = awkwardRows();
    const f = awkwardFrame();
    const got = (await f.nlargest(4, 'x').compute()).toRecords().map((r) => r.x);
    const xs = rows
      .map((r) => r.x as number | null)
      .filter((v): v is number => v !== null && !Number.isNaN(v));
    expect(got).toEqual([...xs].sort((a, b) => b - a).slice(0, 4));
    const two = (await f.nsmallest(5, ['i32', 'x']).compute()).toRecords().map((r) => [r.i32, r.x]);
    const pairs = rows
      .filter((r) => r.i32 !== null && r.x !== null && !Number.isNaN(r.x as number))
      .map((r) => [r.i32, r.x] as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(two).toEqual(pairs.slice(0, 5));
    expect((await f.nlargest(0, 'x').compute()).numRows).toBe(0);
    expect(() => f.nlargest(2, 'key')).toThrow(
      expect.objectContaining({
        code: 'E_DTYPE',
        message: expect.stringContaining("column 'key' of dtype string"),
      }),
    );
  });

  it('nlargest carries every dtype through its partials: strings of per-partition dictionaries, booleans, int64, nulls', async () => {
    const n = 2000;
    const k = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 257) / 4);
    const k2 = Int32Array.from({ length: n }, (_, i) => (i * 104729) % 13);
    const name = Array.from({ length: n }, (_, i) =>
      i % 11 === 0 ? null : `item-${(i * 31) % 97}`,
    );
    const flag = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i % 3 === 0));
    const big = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 3_000_000_007n);
    const f32 = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i / 8));
    const rows = Array.from({ length: n }, (_, i) => i);
    const df = fromColumns({ k, k2, name, flag, big, f32 }, { npartitions: 7 });
    // A string made per partition (its own dictionary there) and one remapped from a dictionary.
    const wide = df.assign({
      label: df.col('k2').map((v: number) => `n${v}`, { meta: ['label', 'string'] }),
      loud: df.col('name').str.upper(),
    });
    const record = (i: number) => ({
      k: k[i],
      k2: k2[i],
      name: name[i],
      flag: flag[i],
      big: big[i],
      f32: f32[i],
      label: `n${k2[i]}`,
      loud: name[i] === null ? null : name[i]!.toUpperCase(),
    });
    const byK = [...rows].sort((a, b) => k[b]! - k[a]! || a - b).slice(0, 17);
    const byK2K = [...rows].sort((a, b) => k2[a]! - k2[b]! || k[a]! - k[b]! || a - b).slice(0, 9);
    for (const scheduler of ['sync', 'threads', 'processes']) {
      const top = await wide.nlargest(17, 'k').compute({ scheduler, workers: 2 });
      expect(top.toRecords()).toEqual(byK.map(record));
      const low = await wide.nsmallest(9, ['k2', 'k']).compute({ scheduler, workers: 2 });
      expect(low.toRecords()).toEqual(byK2K.map(record));
      expect(top.dtypes).toEqual(wide.dtypes);
    }
    // No partitions at all: an empty table of the frame's columns.
    const none = await df.filter(df.col('k').lt(-1)).nlargest(3, 'k').compute();
    expect(none.numRows).toBe(0);
    expect(none.columns).toEqual(df.columns);
  });

  it('nlargest keeps -Infinity when fewer rows beat it, and the earliest of many ties', async () => {
    // -Infinity counts as a value (pandas keeps it); NaN does not.
    const inf = fromColumns({ x: Float64Array.of(-Infinity, Number.NaN, 2, -Infinity, 1) });
    expect((await inf.nlargest(4, 'x').compute()).get('x')).toEqual(
      Float64Array.of(2, 1, -Infinity, -Infinity),
    );
    expect((await inf.nsmallest(1, 'x').compute()).numRows).toBe(1);
    // 3000 equal scores (more than the loop's candidate buffer) then one larger: the top 5
    // is the larger row and the first four of the ties, in row order.
    const n = 3001;
    const v = new Float64Array(n).fill(7);
    v[n - 1] = 8;
    const ties = fromColumns({ id: Int32Array.from({ length: n }, (_, i) => i), v });
    const top = await ties.nlargest(5, 'v').compute();
    expect(Array.from(top.get('id') as Int32Array)).toEqual([3000, 0, 1, 2, 3]);
    const low = await ties.nsmallest(3, 'v').compute();
    expect(Array.from(low.get('id') as Int32Array)).toEqual([0, 1, 2]);
  });

  it('nlargest finds its rows in a batch’s last, ragged rows and when every row is a candidate', async () => {
    // The loop takes whole groups of four rows; the last one to three rows of a batch go to
    // its ragged twin, also when the candidate buffer fills right before them.
    for (const n of [1, 2, 3, 5, 6, 7, 257, 258, 259, 1027]) {
      const id = Int32Array.from({ length: n }, (_, i) => i);
      const rising = Float64Array.from({ length: n }, (_, i) => i);
      const lastBest = Float64Array.from({ length: n }, (_, i) => (i >= n - 3 ? 100 + i : i % 7));
      for (const v of [rising, lastBest]) {
        const want = Array.from(id)
          .sort((a, b) => v[b]! - v[a]! || a - b)
          .slice(0, 5);
        for (const npartitions of [1, 3]) {
          const df = fromColumns({ id, v }, { npartitions: Math.min(npartitions, n) });
          const top = await df.nlargest(5, 'v').compute();
          expect(Array.from(top.get('id') as Int32Array)).toEqual(want);
          const kept = await df.filter(df.col('v').ge(0)).nsmallest(2, 'v').compute();
          expect(Array.from(kept.get('id') as Int32Array)).toEqual(
            Array.from(id)
              .sort((a, b) => v[a]! - v[b]! || a - b)
              .slice(0, 2),
          );
        }
      }
    }
  });

  it('nlargest and nsmallest by several keys match a plain sort: ties, nulls, NaN, infinities, filters', async () => {
    // Small integer keys tie a lot (the first key screens rows by the n-th best's value),
    // and nulls or NaN in any key drop the row, as pandas does.
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const n = 5000;
    const id = Int32Array.from({ length: n }, (_, i) => i);
    const a = Int8Array.from({ length: n }, () => Math.floor(rnd() * 6) - 2);
    const b: (number | null)[] = Array.from({ length: n }, () => {
      const u = rnd();
      if (u < 0.05) return null;
      if (u < 0.08) return Number.NaN;
      if (u < 0.1) return u < 0.09 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      return Math.floor(rnd() * 20) / 4;
    });
    const c: (number | null)[] = Array.from({ length: n }, () =>
      rnd() < 0.03 ? null : Math.floor(rnd() * 3),
    );
    // No nulls: read in place, NaN and infinities included.
    const d = Float64Array.from(b, (v) => (v === null ? Number.NaN : -v));
    const ok = (v: number | null) => v !== null && !Number.isNaN(v);
    const want = (
      keys: (ArrayLike<number | null> | (number | null)[])[],
      largest: boolean,
      k: number,
      keep = (_: number) => true,
    ) => {
      const s = largest ? -1 : 1;
      return Array.from(id)
        .filter((i) => keep(i) && keys.every((key) => ok(key[i]!)))
        .sort((x, y) => {
          for (const key of keys) {
            const d = (key[x]! as number) - (key[y]! as number);
            if (d !== 0 && !Number.isNaN(d)) return s * d;
          }
          return x - y;
        })
        .slice(0, k);
    };
    for (const npartitions of [1, 3, 7]) {
      const df = fromColumns({ id, a, b, c, d }, { npartitions });
      for (const k of [1, 5, 40]) {
        for (const [cols, keys] of [
          [
            ['a', 'b'],
            [a, b],
          ],
          [
            ['b', 'a'],
            [b, a],
          ],
          [
            ['c', 'a', 'b'],
            [c, a, b],
          ],
          [
            ['a', 'd'],
            [a, d],
          ],
        ] as const) {
          const big = await df.nlargest(k, [...cols]).compute();
          expect(Array.from(big.get('id') as Int32Array)).toEqual(want([...keys], true, k));
          const small = await df.nsmallest(k, [...cols]).compute({ scheduler: 'threads' });
          expect(Array.from(small.get('id') as Int32Array)).toEqual(want([...keys], false, k));
        }
        const kept = df.filter(df.col('c').eq(1));
        const top = await kept.nlargest(k, ['a', 'b']).compute();
        expect(Array.from(top.get('id') as Int32Array)).toEqual(
          want([a, b], true, k, (i) => c[i] === 1),
        );
      }
    }
  });

  it('nlargest fills with the earliest -Infinity rows, past the candidate buffer and across partitions', async () => {
    // 600 rows of -Infinity (more than the loop's 256 candidates) around 3 finite rows.
    const n = 603;
    const v = new Float64Array(n).fill(-Infinity);
    v[400] = 1;
    v[450] = Number.NaN;
    v[500] = 3;
    v[602] = 2;
    const id = Int32Array.from({ length: n }, (_, i) => i);
    for (const npartitions of [1, 2, 4]) {
      const df = fromColumns({ id, v }, { npartitions });
      const top = await df.nlargest(6, 'v').compute();
      expect(Array.from(top.get('id') as Int32Array)).toEqual([500, 602, 400, 0, 1, 2]);
      const neg = fromColumns({ id, w: v.map((x) => -x) }, { npartitions });
      const low = await neg.nsmallest(5, 'w').compute();
      expect(Array.from(low.get('id') as Int32Array)).toEqual([500, 602, 400, 0, 1]);
      const kept = df.filter(df.col('id').ge(300));
      const top3 = await kept.nlargest(4, 'v').compute();
      expect(Array.from(top3.get('id') as Int32Array)).toEqual([500, 602, 400, 300]);
    }
  });

  it('the notebook: nlargest(5, total_sales)[[product_id, total_sales]]', async () => {
    const n = 300;
    const price = Float64Array.from({ length: n }, (_, i) => 5 + ((i * 7919) % 495));
    const units = Int32Array.from({ length: n }, (_, i) => 1 + ((i * 31) % 49));
    const d0 = fromColumns(
      { product_id: Int32Array.from({ length: n }, (_, i) => i), price, units_sold: units },
      { npartitions: 7 },
    );
    const d = d0.assign({ total_sales: d0.col('price').mul(d0.col('units_sold')) });
    const top = await d.nlargest(5, 'total_sales').select(['product_id', 'total_sales']).compute();
    const want = Array.from({ length: n }, (_, i) => ({
      product_id: i,
      total_sales: price[i]! * units[i]!,
    }))
      .sort((a, b) => b.total_sales - a.total_sales || a.product_id - b.product_id)
      .slice(0, 5);
    expect(top.toRecords()).toEqual(want);
  });

  it('head reads only the partitions it needs', async () => {
    const f = fromColumns(
      { x: Int32Array.from({ length: 100 }, (_, i) => i) },
      { npartitions: 10 },
    );
    const h = f.headFrame(15);
    // Partitions the result needs, before the optimizer inlines them into their readers.
    const { graph, keys } = buildGraph([h[COLLECTION]()], { optimize: false });
    const literals = [...cull(graph, keys).values()].filter((n) => 'value' in n);
    expect(literals.length).toBe(2);
    expect(Array.from((await f.head(15)).get('x'))).toEqual(
      Array.from({ length: 15 }, (_, i) => i),
    );
    expect(Array.from((await f.tail(12)).get('x'))).toEqual(
      Array.from({ length: 12 }, (_, i) => 88 + i),
    );
    // After a filter partition lengths are unknown: like Dask, head reads the first partition.
    const g = f.filter(f.col('x').ge(5));
    expect(Array.from((await g.head(8)).get('x'))).toEqual([5, 6, 7, 8, 9]);
    expect(Array.from((await g.head(8, { npartitions: -1 })).get('x'))).toEqual([
      5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it('mapPartitions with explicit or inferred meta, checking the result', async () => {
    const f = fromRecords([{ x: 1 }, { x: 2 }, { x: 3 }], { npartitions: 2 });
    const counts = f.mapPartitions((t) => ({ n: Int32Array.of(t.numRows) }));
    expect(counts.dtypes).toEqual({ n: 'int32' });
    expect(Array.from((await counts.compute()).get('n'))).toEqual([2, 1]);
    const doubled = f.mapPartitions(
      (t) => ({ y: (t.getChild('x')!.toArray() as Int32Array).map((v) => v * 2) }),
      { meta: { y: 'int32' } },
    );
    expect(Array.from((await doubled.compute()).get('y'))).toEqual([2, 4, 6]);
    const wrong = f.mapPartitions((t) => ({ y: new Float64Array(t.numRows) }), {
      meta: { y: 'int32' },
    });
    await expect(wrong.compute({ scheduler: 'sync' })).rejects.toMatchObject({
      message: expect.stringContaining(
        "column 'y' of partition 0 is float64, but the meta says int32",
      ),
    });
    await expect(wrong.compute({ scheduler: 'threads' })).rejects.toMatchObject({
      message: expect.stringMatching(/column 'y' of partition [01] is float64/),
    });
    expect(() => f.mapPartitions((t) => (t.numRows > 0 ? 1 : null))).toThrow(
      expect.objectContaining({ code: 'E_META_REQUIRED' }),
    );
  });

  it('persist keeps partitions in memory and still prunes columns', async () => {
    const f = fromColumns({ a: [1, 2, 3], b: [4, 5, 6] }, { npartitions: 2 });
    const p = await f.assign({ c: f.col('a').add(f.col('b')) }).persist();
    expect(p.explain()).toContain('persisted');
    expect(await p.col('c').sum().compute()).toBe(21);
  });
});

describe('projection pushdown through results', () => {
  it('nlargest(...).select(...) reads only the selected and ranking columns', async () => {
    const df = fromColumns(
      { id: [1, 2, 3], v: [5, 9, 7], other: ['a', 'b', 'c'], unused: [0, 0, 0] },
      { npartitions: 2 },
    );
    const top = df.nlargest(2, 'v').select(['id']);
    const optimized = top.explain().split('== optimized ==')[1]!;
    expect(optimized).toContain('columns: id, v]');
    expect(optimized).not.toContain('other');
    expect((await top.compute()).toRecords()).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('a groupby output that is not used is not computed', async () => {
    const df = fromColumns({ k: ['a', 'b', 'a'], x: [1, 2, 3], y: [4, 5, 6] });
    const g = df.groupby('k').agg({ x: 'sum', y: 'mean' }).select(['k', 'x']);
    expect(g.explain().split('== optimized ==')[1]).toContain('columns: k, x]');
    expect((await g.compute()).toRecords()).toEqual([
      { k: 'a', x: 4 },
      { k: 'b', x: 2 },
    ]);
  });
});
