import { fromArrow, fromColumns, fromDanfo, fromRecords } from '@dusk/dataframe';
import * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';

describe('construction', () => {
  it('fromColumns slices typed arrays into partitions without copying', async () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => i);
    const df = fromColumns({ x }, { npartitions: 3 });
    expect(df.npartitions).toBe(3);
    const src = (df.plan as any).source.tables as A.Table[];
    expect(src.map((t) => t.numRows)).toEqual([3, 4, 3]);
    expect((src[1]!.getChild('x')!.data[0]!.values as Float64Array).buffer).toBe(x.buffer);
    expect(Array.from((await df.compute()).get('x'))).toEqual(Array.from(x));
  });

  it('moves large ordinary buffers to shared memory once (threads then read them without copies)', () => {
    const x = new Float64Array(100_000);
    const shared = (fromColumns({ x }).plan as any).source.tables as A.Table[];
    expect(shared[0]!.getChild('x')!.data[0]!.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const kept = (fromColumns({ x }, { shared: false }).plan as any).source.tables as A.Table[];
    expect(kept[0]!.getChild('x')!.data[0]!.values.buffer).toBe(x.buffer);
  });

  it('chunksize, sizes and more partitions than rows (empty partitions)', async () => {
    expect(fromColumns({ x: [1, 2, 3, 4, 5] }, { chunksize: 2 }).npartitions).toBe(3);
    const many = fromColumns({ x: [1, 2] }, { npartitions: 5 });
    expect(many.npartitions).toBe(5);
    expect(await many.col('x').sum().compute()).toBe(3);
    expect(() => fromColumns({ x: [1] }, { sizes: [2] })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
    expect(() => fromColumns({ x: [1] }, { npartitions: 0 })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });

  it('strings are dictionary-encoded with one dictionary for all partitions', () => {
    const df = fromColumns({ s: ['b', 'a', 'b', 'c'] }, { npartitions: 2 });
    const tables = (df.plan as any).source.tables as A.Table[];
    const types = tables.map((t) => String(t.schema.fields[0]!.type));
    expect(types).toEqual(['Dictionary<Int8, Utf8>', 'Dictionary<Int8, Utf8>']);
    const d0 = tables[0]!.getChild('s')!.data[0]!.dictionary;
    expect(tables[1]!.getChild('s')!.data[0]!.dictionary).toBe(d0);
  });

  it('fromRecords infers dtypes (ints, floats, bools, strings, nulls)', async () => {
    const df = fromRecords([
      { i: 1, f: 1.5, b: true, s: 'x' },
      { i: 2, f: null, b: false },
    ]);
    expect(df.dtypes).toEqual({ i: 'int32', f: 'float64', b: 'bool', s: 'string' });
    expect((await df.compute()).toRecords()).toEqual([
      { i: 1, f: 1.5, b: true, s: 'x' },
      { i: 2, f: null, b: false, s: null },
    ]);
  });

  it('bad input says which column and row', () => {
    expect(() => fromColumns({ a: [1, 2], b: [1] })).toThrow(
      expect.objectContaining({
        code: 'E_INPUT',
        message: expect.stringContaining("column 'b' has 1 values"),
      }),
    );
    expect(() => fromRecords([{ a: 1 }, { a: 'x' }])).toThrow(
      expect.objectContaining({
        code: 'E_INPUT',
        message:
          "Column 'a' mixes number and string values (row 1); give one type per column, or cast it first.",
      }),
    );
    expect(() => fromColumns({ a: [{}] })).toThrow(expect.objectContaining({ code: 'E_INPUT' }));
  });

  it('fromArrow dictionary-encodes plain strings and keeps the rest', async () => {
    const t = A.tableFromArrays({ s: ['p', 'q', 'p'], x: Float64Array.of(1, 2, 3) });
    const df = fromArrow(t, { npartitions: 2 });
    expect(df.dtypes).toEqual({ s: 'string', x: 'float64' });
    expect((await df.groupby('s').col('x').sum().compute()).toRecords()).toEqual([
      { s: 'p', x: 4 },
      { s: 'q', x: 2 },
    ]);
  });

  it('round-trips through danfo.js', async () => {
    const dfd = await import('danfojs-node');
    const d = new dfd.DataFrame({ name: ['a', 'b', 'c'], v: [1.5, 2.5, 3.5], n: [1, 2, 3] });
    const df = fromDanfo(d, { npartitions: 2 });
    expect(df.dtypes).toEqual({ name: 'string', v: 'float64', n: 'int32' });
    const back = await (await df.assign({ w: df.col('v').mul(2) }).compute()).toDanfo();
    expect(back.columns).toEqual(['name', 'v', 'n', 'w']);
    expect(back.column('w').values).toEqual([3, 5, 7]);
    const g = await (await df.groupby('name').col('v').sum().compute()).toDanfo();
    expect(g.values).toEqual([1.5, 2.5, 3.5]);
  });
});
