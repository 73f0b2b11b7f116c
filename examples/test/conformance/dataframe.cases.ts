/**
 * Conformance cases for @dusk/dataframe: the e-commerce and weather operations (and the
 * rest of the frame API) give the same tables on every scheduler and worker count.
 * Tables are compared as records.
 */
import * as da from '@dusk/array';
import { fromArrays, fromColumns, LocalTable } from '@dusk/dataframe';
import type { ConformanceCase } from './cases.js';

const records = (r: unknown) => (r instanceof LocalTable ? r.toRecords() : r);
const CATEGORIES = ['Electronics', 'Clothing', 'Books', 'Toys', 'Home'];

/** The e-commerce data at small size: generated per chunk from seeded streams. */
function ecommerce(n = 5_000, chunks = 700) {
  const df = fromArrays(
    {
      product_id: da.arange(n, { chunks }),
      category: da.random.randint(0, 5, { size: n, chunks, seed: 42 }),
      price: da.random.uniform(5, 500, { size: n, chunks, seed: 43 }),
      units_sold: da.random.randint(1, 50, { size: n, chunks, seed: 44 }),
    },
    { categories: { category: CATEGORIES } },
  );
  return df.assign({ total_sales: df.col('price').mul(df.col('units_sold')) });
}

function weather() {
  const n = 2_000;
  const station_id = Int32Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 999));
  const temperature = Float64Array.from({ length: n }, (_, i) => -10 + ((i * 104729) % 6000) / 100);
  return fromColumns({ station_id, temperature }, { npartitions: 10 });
}

export const cases: ConformanceCase[] = [
  {
    name: 'dataframe e-commerce mean(total_sales)',
    build: () => ecommerce().col('total_sales').mean(),
  },
  {
    name: 'dataframe e-commerce max/min(price)',
    build: () => [ecommerce().col('price').max(), ecommerce().col('price').min()],
  },
  {
    name: 'dataframe e-commerce groupby(category).total_sales.sum()',
    build: () => ecommerce().groupby('category').col('total_sales').sum(),
    normalize: records,
  },
  {
    name: 'dataframe e-commerce nlargest(5, total_sales)[[product_id, total_sales]]',
    build: () => ecommerce().nlargest(5, 'total_sales').select(['product_id', 'total_sales']),
    normalize: records,
  },
  {
    name: 'dataframe nlargest / nsmallest carrying strings, booleans, int64 and nulls',
    build: () => {
      const n = 1500;
      const df = fromColumns(
        {
          k: Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 4),
          k2: Int32Array.from({ length: n }, (_, i) => (i * 104729) % 13),
          name: Array.from({ length: n }, (_, i) =>
            i % 11 === 0 ? null : `item-${(i * 31) % 97}`,
          ),
          flag: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i % 3 === 0)),
          big: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 3_000_000_007n),
        },
        { npartitions: 6 },
      );
      const wide = df.assign({ loud: df.col('name').str.upper() });
      return [wide.nlargest(12, 'k'), wide.nsmallest(7, ['k2', 'k'])];
    },
    normalize: (r) => (r as unknown[]).map(records),
  },
  {
    name: 'dataframe weather fahrenheit map and head',
    build: () => {
      const w = weather();
      return w
        .assign({
          temperature_fahrenheit: w
            .col('temperature')
            .map((t) => (t * 9) / 5 + 32, { meta: ['temperature', 'float64'] }),
        })
        .headFrame(5);
    },
    normalize: records,
  },
  {
    name: 'dataframe weather mean/max/sum of temperature',
    build: () => {
      const t = weather().col('temperature');
      return [t.mean(), t.max(), t.sum()];
    },
  },
  {
    name: 'dataframe groupby with many groups and splitOut',
    build: () =>
      weather()
        .groupby('station_id', { splitOut: 3 })
        .agg({ temperature: ['mean', 'count', 'std'] }),
    normalize: records,
  },
  {
    name: 'dataframe filter, describe and valueCounts',
    build: () => {
      const df = ecommerce(3_000, 400);
      const cheap = df.filter(df.col('price').lt(100));
      return [cheap.describe(), cheap.col('category').valueCounts()];
    },
    normalize: (r) => (r as unknown[]).map(records),
  },
  {
    name: 'dataframe small frame with nulls and a closed-form answer',
    build: () =>
      fromColumns({ k: ['a-b', 'a|b', 'a-b', null], v: [1, 2, null, 4] }, { sizes: [1, 0, 2, 1] })
        .groupby('k')
        .col('v')
        .sum(),
    normalize: records,
    expected: [
      { k: 'a-b', v: 1 },
      { k: 'a|b', v: 2 },
    ],
  },
  {
    name: 'dataframe map returning the wrong type fails with the task key',
    build: () =>
      fromColumns({ x: [1, 2] })
        .col('x')
        .map((x) => String(x), { meta: ['x', 'float64'] }),
    errorCode: 'E_TASK_FAILED',
  },
];
