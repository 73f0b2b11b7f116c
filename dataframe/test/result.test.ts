import { fromColumns, LocalTable } from '@dusk/dataframe';
import { describe, expect, it } from 'vitest';

describe('result table', () => {
  it('prints a frame like pandas (the weather notebook head)', async () => {
    const df = fromColumns({
      station_id: Int32Array.of(453, 205),
      temperature: Float64Array.of(25.214512, 30.687112),
    });
    const t = await df
      .assign({
        temperature_fahrenheit: df
          .col('temperature')
          .map((x) => (x * 9) / 5 + 32, { meta: ['temperature', 'float64'] }),
      })
      .compute();
    expect(String(t)).toBe(
      [
        '   station_id  temperature  temperature_fahrenheit',
        '0         453    25.214512               77.386122',
        '1         205    30.687112               87.236802',
      ].join('\n'),
    );
  });

  it('truncates long frames with ... and a size line', async () => {
    const n = 100;
    const t = await fromColumns(
      { i: Int32Array.from({ length: n }, (_, k) => k) },
      { npartitions: 3 },
    ).compute();
    const lines = String(t).split('\n');
    expect(lines.slice(0, 3)).toEqual(['     i', '0    0', '1    1']);
    expect(lines[6]).toBe('.. ...');
    expect(lines[7]).toBe('95  95');
    expect(lines.at(-1)).toBe('[100 rows x 1 columns]');
  });

  it('uses scientific notation for large values and trims trailing zeros together', async () => {
    const big = await fromColumns({ v: [3.15e11, 3.13e11] }).compute();
    expect(String(big)).toBe('              v\n0  3.150000e+11\n1  3.130000e+11');
    const small = await fromColumns({ v: [1.5, 2, null] }).compute();
    expect(String(small)).toBe('     v\n0  1.5\n1  2.0\n2  NaN');
  });

  it('converts to records, columns and Arrow', async () => {
    const t = await fromColumns({ a: [1, 2], s: ['x', null] }, { npartitions: 2 }).compute();
    expect(t).toBeInstanceOf(LocalTable);
    expect(t.toRecords()).toEqual([
      { a: 1, s: 'x' },
      { a: 2, s: null },
    ]);
    expect(t.toColumns()).toEqual({ a: Int32Array.of(1, 2), s: ['x', null] });
    expect(t.toArrow().numRows).toBe(2);
    expect(t.dtypes).toEqual({ a: 'int32', s: 'string' });
  });
});
