/**
 * The e-commerce mini project (course unit III), cell for cell: 50,000,000 seeded sales
 * rows in 50 partitions, mean sales, max and min price, total sales by category, the top 5
 * products, a bar chart of sales by category (SVG and PNG), and the mean of 1,000,000,000
 * random numbers in 10,000,000-element chunks. Stdout is what the Python notebook prints;
 * timings and progress bars go to stderr.
 * `npm run ecommerce -- --rows 1e6 --scheduler processes`
 */
import * as da from '@dusk/array';
import { type DataFrame, fromArrays } from '@dusk/dataframe';
import { writeBarChart } from './charts/bar-chart.js';
import { runIfMain } from './notebook/cli.js';
import { partitionSizes } from './notebook/frames.js';
import {
  closeScheduler,
  Notebook,
  type NotebookIO,
  processIO,
  type StepTiming,
} from './notebook/notebook.js';
import { type NotebookDefaults, parseNotebookArgs, usage } from './notebook/options.js';
import { formatFrame, formatSeries } from './notebook/pandas-format.js';
import { fixed } from './notebook/py-format.js';

export const CATEGORIES = ['Electronics', 'Clothing', 'Books', 'Toys', 'Home'];

export const ECOMMERCE_DEFAULTS: NotebookDefaults = {
  rows: 50_000_000,
  partitions: 50,
  seed: 42,
  extra: { 'random-size': 1_000_000_000, 'random-chunk': 10_000_000 },
  extraHelp: {
    'random-size': 'random numbers to average',
    'random-chunk': 'elements per chunk of them',
  },
};

/**
 * The seeded columns as lazy arrays, one chunk per partition, each chunk from its own
 * random stream (so any scheduler, worker count or order gives the same rows): category
 * as int8 codes into CATEGORIES (the frame keeps int8 codes as they are: no copy), price
 * uniform in [5, 500), units_sold integer in [1, 50) (int8 too: the values fit, and a
 * quarter of the bytes is 150 MB less to make and read).
 */
export function ecommerceArrays(rows: number, partitions: number, seed: number) {
  const chunks = [partitionSizes(rows, partitions)];
  return {
    product_id: da.arange(rows, { chunks }),
    category: da.random.randint(0, CATEGORIES.length, { size: rows, chunks, seed, dtype: 'int8' }),
    price: da.random.uniform(5, 500, { size: rows, chunks, seed: seed + 1 }),
    units_sold: da.random.randint(1, 50, { size: rows, chunks, seed: seed + 2, dtype: 'int8' }),
  };
}

export interface EcommerceResult {
  meanSales: number;
  maxPrice: number;
  minPrice: number;
  salesByCategory: [string, number][];
  topProducts: [number, number][];
  meanValue: number;
  chart?: { svg: string; png: string };
  steps: StepTiming[];
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(
  argv: string[] = [],
  io: NotebookIO = processIO(),
): Promise<EcommerceResult | undefined> {
  const opts = parseNotebookArgs(argv, ECOMMERCE_DEFAULTS);
  if (opts.help) {
    io.out(`${usage('examples/dist/ecommerce.js', ECOMMERCE_DEFAULTS)}\n`);
    return undefined;
  }
  const nb = new Notebook('E-commerce', opts, io);
  try {
    // %% Step 1: Start a local scheduler for parallel processing (print(client))
    await nb.cell('Start the scheduler', async (c) => {
      await nb.startWorkers(c.compute);
      nb.print(nb.clientLine());
    });

    // %% Step 2-3: Simulate the dataset, generated in parallel per partition, and keep it
    let df: DataFrame = await nb.cell('Generate the data', (c) =>
      fromArrays(ecommerceArrays(opts.rows, opts.partitions, opts.seed), {
        categories: { category: CATEGORIES },
      }).persist(c.compute),
    );

    // %% Step 4: Compute total sales per row (lazy: fused into each computation below)
    df = await nb.cell('Add total_sales', () =>
      df.assign({ total_sales: df.col('price').mul(df.col('units_sold')) }),
    );

    // %% Step 5: Parallel computations
    const meanSales = await nb.cell('Mean sales', (c) =>
      df.col('total_sales').mean().compute(c.compute),
    );
    const maxPrice = await nb.cell('Max price', (c) => df.col('price').max().compute(c.compute));
    const minPrice = await nb.cell('Min price', (c) => df.col('price').min().compute(c.compute));
    nb.print(`📊 Mean Sales: ${fixed(meanSales, 2)}`);
    nb.print(`💰 Max Price: ${fixed(maxPrice, 2)}`);
    nb.print(`💵 Min Price: ${fixed(minPrice, 2)}`);

    // %% Step 6: Aggregate total sales by category
    const salesByCategory = await nb.cell('Total sales by category', async (c) => {
      const t = await df.groupby('category').col('total_sales').sum().compute(c.compute);
      const keys = t.indexValues()[0] as string[];
      const sums = t.values() as ArrayLike<number>;
      // pandas sorts group keys (groupby(sort=True)).
      return keys
        .map((k, i) => [k, sums[i]!] as [string, number])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    });
    const series = formatSeries({
      name: 'total_sales',
      dtype: 'float64',
      values: salesByCategory.map(([, v]) => v),
      index: { name: 'category', values: salesByCategory.map(([k]) => k) },
    });
    nb.print('\nCategory-wise Total Sales:\n', series);

    // %% Step 7: Find top 5 products by sales
    const topProducts = await nb.cell('Top 5 products', async (c) => {
      const t = await df
        .nlargest(5, 'total_sales')
        .select(['product_id', 'total_sales'])
        .compute(c.compute);
      const ids = t.get('product_id') as ArrayLike<number>;
      const sales = t.get('total_sales') as ArrayLike<number>;
      return Array.from(
        { length: t.numRows },
        (_, i) => [Number(ids[i]), sales[i]!] as [number, number],
      );
    });
    // product_id is the row number, which pandas shows as the index.
    const top = formatFrame({
      index: { values: topProducts.map(([id]) => id) },
      columns: [
        { name: 'product_id', dtype: 'int64', values: topProducts.map(([id]) => id) },
        { name: 'total_sales', dtype: 'float64', values: topProducts.map(([, s]) => s) },
      ],
    });
    nb.print('\n🏆 Top 5 Products:\n', top);

    // %% Step 8: Visualization (parallel results -> plotted locally)
    const chart =
      opts.chart === 'on'
        ? await nb.cell('Bar chart', () =>
            writeBarChart(
              opts.out,
              'sales_by_category',
              salesByCategory.map(([label, value]) => ({ label, value })),
              {
                title: 'Total Sales by Category',
                xTitle: 'Category',
                yTitle: 'Sales ($)',
                unitPrefix: '$',
              },
            ),
          )
        : undefined;
    if (chart) nb.note(`  chart: ${chart.svg}, ${chart.png}`);

    // %% Step 9: Example of Dask Array computation for heavy math
    const meanValue = await nb.cell('Mean of the random numbers', (c) =>
      da.random
        .random(opts.extra['random-size']!, {
          chunks: opts.extra['random-chunk']!,
          seed: opts.seed,
        })
        .mean()
        .compute(c.compute),
    );
    nb.print(`\n⚡ Mean of 1 Billion Random Numbers: ${fixed(meanValue, 4)}`);

    // %% Step 10: Shut down the scheduler
    await nb.cell('Close the scheduler', () => closeScheduler());
    return {
      meanSales,
      maxPrice,
      minPrice,
      salesByCategory,
      topProducts,
      meanValue,
      chart,
      steps: nb.steps,
    };
  } finally {
    nb.finish();
  }
}

void runIfMain(import.meta.url, main);
