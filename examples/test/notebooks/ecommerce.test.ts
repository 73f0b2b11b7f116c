import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, ecommerceArrays, main } from '../../dist/ecommerce.js';
import { formatFrame, formatSeries } from '../../dist/notebook/pandas-format.js';
import { fixed } from '../../dist/notebook/py-format.js';
import { runCaptured, testSchedulers } from '../helpers.js';

const ROWS = 20_000;
const PARTITIONS = 7;
const SEED = 42;
const RANDOM_SIZE = 100_000;
const RANDOM_CHUNK = 7_000;

/** The notebook's figures by plain loops over the same seeded columns. */
async function reference() {
  const arrays = ecommerceArrays(ROWS, PARTITIONS, SEED);
  const [ids, cats, price, units] = await Promise.all(
    [arrays.product_id, arrays.category, arrays.price, arrays.units_sold].map(
      async (a) => (await a.compute({ scheduler: 'sync' })).data as ArrayLike<number>,
    ),
  );
  const total = new Float64Array(ROWS);
  const byCode = new Float64Array(CATEGORIES.length);
  let sum = 0;
  let maxPrice = Number.NEGATIVE_INFINITY;
  let minPrice = Number.POSITIVE_INFINITY;
  let bad = 0;
  for (let i = 0; i < ROWS; i++) {
    if (
      ids![i] !== i ||
      !(units![i]! >= 1 && units![i]! < 50) ||
      !(cats![i]! >= 0 && cats![i]! < 5)
    )
      bad++;
    total[i] = price![i]! * units![i]!;
    sum += total[i]!;
    byCode[cats![i]!]! += total[i]!;
    if (price![i]! > maxPrice) maxPrice = price![i]!;
    if (price![i]! < minPrice) minPrice = price![i]!;
  }
  expect(bad).toBe(0);
  const order = Array.from({ length: ROWS }, (_, i) => i).sort(
    (a, b) => total[b]! - total[a]! || a - b,
  );
  const top = order.slice(0, 5).map((i) => [i, total[i]!] as [number, number]);
  const byCategory = CATEGORIES.map((c, k) => [c, byCode[k]!] as [string, number]).sort((a, b) =>
    a[0] < b[0] ? -1 : 1,
  );
  const random = (
    await da.random
      .random(RANDOM_SIZE, { chunks: RANDOM_CHUNK, seed: SEED })
      .compute({ scheduler: 'sync' })
  ).data as Float64Array;
  let rsum = 0;
  for (let i = 0; i < RANDOM_SIZE; i++) rsum += random[i]!;
  return { mean: sum / ROWS, maxPrice, minPrice, byCategory, top, randomMean: rsum / RANDOM_SIZE };
}

describe.each(testSchedulers())('e-commerce notebook on %s', (scheduler) => {
  it('prints what the Python notebook prints, with figures matching plain loops', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dusk-ecommerce-'));
    const ref = await reference();
    const { stdout, stderr, result } = await runCaptured(main, [
      ...['--scheduler', scheduler, '--rows', String(ROWS), '--partitions', String(PARTITIONS)],
      ...['--random-size', String(RANDOM_SIZE), '--random-chunk', String(RANDOM_CHUNK)],
      ...['--out', out, '--progress', 'off'],
    ]);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^<Client: '\w+' processes=\d+ threads=\d+, memory=\d+\.\d\d GiB>$/);
    const expected = [
      `📊 Mean Sales: ${fixed(ref.mean, 2)}`,
      `💰 Max Price: ${fixed(ref.maxPrice, 2)}`,
      `💵 Min Price: ${fixed(ref.minPrice, 2)}`,
      '',
      'Category-wise Total Sales:',
      ` ${formatSeries({
        name: 'total_sales',
        dtype: 'float64',
        values: ref.byCategory.map(([, v]) => v),
        index: { name: 'category', values: ref.byCategory.map(([k]) => k) },
      })}`,
      '',
      '🏆 Top 5 Products:',
      ` ${formatFrame({
        index: { values: ref.top.map(([i]) => i) },
        columns: [
          { name: 'product_id', dtype: 'int64', values: ref.top.map(([i]) => i) },
          { name: 'total_sales', dtype: 'float64', values: ref.top.map(([, s]) => s) },
        ],
      })}`,
      '',
      `⚡ Mean of 1 Billion Random Numbers: ${fixed(ref.randomMean, 4)}`,
      '',
    ].join('\n');
    expect(lines.slice(1).join('\n')).toBe(expected);

    expect(result!.meanSales).toBeCloseTo(ref.mean, 9);
    expect(result!.maxPrice).toBe(ref.maxPrice);
    expect(result!.minPrice).toBe(ref.minPrice);
    expect(result!.topProducts).toEqual(ref.top);
    result!.salesByCategory.forEach(([k, v], i) => {
      expect(k).toBe(ref.byCategory[i]![0]);
      expect(v).toBeCloseTo(ref.byCategory[i]![1], 3);
    });
    expect(result!.meanValue).toBeCloseTo(ref.randomMean, 12);
    expect(existsSync(result!.chart!.svg)).toBe(true);
    expect(existsSync(result!.chart!.png)).toBe(true);
    for (const title of ['Generate the data', 'Total sales by category', 'Top 5 products']) {
      expect(stderr).toMatch(new RegExp(`\\[step \\d+\\] ${title}: \\d+\\.\\d{3} s`));
    }
  });
});
