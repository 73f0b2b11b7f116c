import { describe, expect, it } from 'vitest';
import { formatFrame, formatSeries } from '../../dist/notebook/pandas-format.js';

// Each expected block is what pandas 1.5.3 prints for the same data (checked side by side).
describe('formatSeries', () => {
  it('prints a groupby-sum of large floats in scientific notation, with the index name', () => {
    const s = formatSeries({
      name: 'total_sales',
      dtype: 'float64',
      values: [1.264238e9, 1.265374e9, 1.259211e9, 1.266699e9, 1.254982e9],
      index: { name: 'category', values: ['Books', 'Clothing', 'Electronics', 'Home', 'Toys'] },
    });
    expect(s).toBe(
      [
        'category',
        'Books          1.264238e+09',
        'Clothing       1.265374e+09',
        'Electronics    1.259211e+09',
        'Home           1.266699e+09',
        'Toys           1.254982e+09',
        'Name: total_sales, dtype: float64',
      ].join('\n'),
    );
  });

  it('trims trailing zeros equally down the column', () => {
    expect(formatSeries({ dtype: 'float64', values: [0.5, 1.25, 3.0] })).toBe(
      '0    0.50\n1    1.25\n2    3.00\ndtype: float64',
    );
    expect(formatSeries({ dtype: 'float64', values: [123456.5, 2] })).toBe(
      '0    123456.5\n1         2.0\ndtype: float64',
    );
    expect(formatSeries({ dtype: 'float64', values: [1234567.5, 2] })).toBe(
      '0    1234567.5\n1          2.0\ndtype: float64',
    );
  });

  it('switches to scientific notation for tiny values and for wide large ones', () => {
    expect(formatSeries({ dtype: 'float64', values: [1e-7, 1] })).toBe(
      '0    1.000000e-07\n1    1.000000e+00\ndtype: float64',
    );
    expect(formatSeries({ dtype: 'float64', values: [3e11, 3.1e11] })).toBe(
      '0    3.000000e+11\n1    3.100000e+11\ndtype: float64',
    );
  });

  it('prints ints, NaN and a string index', () => {
    expect(formatSeries({ dtype: 'int64', name: 'ints', values: [1, -2] })).toBe(
      '0    1\n1   -2\nName: ints, dtype: int64',
    );
    expect(formatSeries({ dtype: 'float64', values: [1.5, Number.NaN] })).toBe(
      '0    1.5\n1    NaN\ndtype: float64',
    );
    expect(
      formatSeries({
        dtype: 'float64',
        name: 'v',
        values: [1, 2],
        index: { name: 'k', values: ['a', 'bb'] },
      }),
    ).toBe('k\na     1.0\nbb    2.0\nName: v, dtype: float64');
  });

  it('prints an empty series', () => {
    expect(formatSeries({ dtype: 'float64', name: 'x', values: [] })).toBe(
      'Series([], Name: x, dtype: float64)',
    );
  });
});

describe('formatFrame', () => {
  it('prints the weather head', () => {
    const f = formatFrame({
      columns: [
        { name: 'station_id', dtype: 'int64', values: [38, 236, 909, 73, 768] },
        {
          name: 'temperature',
          dtype: 'float64',
          values: [7.124352, 36.57199, 30.281579, 12.003124, 14.39467],
        },
        {
          name: 'temperature_fahrenheit',
          dtype: 'float64',
          values: [44.823834, 97.829583, 86.506842, 53.605623, 57.910405],
        },
      ],
    });
    expect(f).toBe(
      [
        '   station_id  temperature  temperature_fahrenheit',
        '0          38     7.124352               44.823834',
        '1         236    36.571990               97.829583',
        '2         909    30.281579               86.506842',
        '3          73    12.003124               53.605623',
        '4         768    14.394670               57.910405',
      ].join('\n'),
    );
  });

  it('prints the top-5 products with their original row index', () => {
    const f = formatFrame({
      index: { values: [654208, 168837, 232565, 779066, 486823] },
      columns: [
        { name: 'product_id', dtype: 'int64', values: [654208, 168837, 232565, 779066, 486823] },
        {
          name: 'total_sales',
          dtype: 'float64',
          values: [24499.286224, 24497.451157, 24497.004894, 24495.284351, 24494.009058],
        },
      ],
    });
    expect(f).toBe(
      [
        '        product_id   total_sales',
        '654208      654208  24499.286224',
        '168837      168837  24497.451157',
        '232565      232565  24497.004894',
        '779066      779066  24495.284351',
        '486823      486823  24494.009058',
      ].join('\n'),
    );
  });

  it('prints negative floats, a non-contiguous index, strings and a named index', () => {
    expect(
      formatFrame({
        index: { values: [5, 20] },
        columns: [
          { name: 'station_id', dtype: 'int64', values: [906, 255] },
          { name: 'temperature', dtype: 'float64', values: [-5.676906, 13.719724] },
        ],
      }),
    ).toBe('    station_id  temperature\n5          906    -5.676906\n20         255    13.719724');
    expect(
      formatFrame({
        columns: [
          { name: 's', dtype: 'object', values: ['x', 'yyy'] },
          { name: 'f', dtype: 'float64', values: [1e-8, 1] },
        ],
      }),
    ).toBe('     s             f\n0    x  1.000000e-08\n1  yyy  1.000000e+00');
    expect(
      formatFrame({
        index: { name: 'idx', values: [10, 200] },
        columns: [
          { name: 'a', dtype: 'float64', values: [1.5, 2.25] },
          { name: 'b', dtype: 'int64', values: [-1, 20] },
        ],
      }),
    ).toBe('        a   b\nidx          \n10   1.50  -1\n200  2.25  20');
  });
});
