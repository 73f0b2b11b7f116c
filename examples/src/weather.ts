/**
 * The weather data analysis notebook (course unit IV), cell for cell: 10,000,000 station
 * readings in 10 partitions, average / maximum / sum of temperature, a Fahrenheit column
 * made with a per-element lambda `map`, and the first 5 rows. Stdout is what the Python
 * notebook prints; timings and progress go to stderr.
 * `npm run weather -- --rows 1e6 --scheduler sync`
 */
import * as da from '@dusk/array';
import { type DataFrame, fromArrays } from '@dusk/dataframe';
import { runIfMain } from './notebook/cli.js';
import { partitionSizes, tableColumns } from './notebook/frames.js';
import {
  closeScheduler,
  Notebook,
  type NotebookIO,
  processIO,
  type StepTiming,
} from './notebook/notebook.js';
import { type NotebookDefaults, parseNotebookArgs, usage } from './notebook/options.js';
import { formatFrame } from './notebook/pandas-format.js';
import { fixed } from './notebook/py-format.js';

export const WEATHER_DEFAULTS: NotebookDefaults = { rows: 10_000_000, partitions: 10, seed: 42 };

/**
 * The seeded columns as lazy arrays, one chunk per partition, each chunk from its own
 * random stream: station_id in [1, 1000), temperature uniform in [-10, 50).
 */
export function weatherArrays(rows: number, partitions: number, seed: number) {
  const chunks = [partitionSizes(rows, partitions)];
  return {
    station_id: da.random.randint(1, 1000, { size: rows, chunks, seed }),
    temperature: da.random.uniform(-10, 50, { size: rows, chunks, seed: seed + 1 }),
  };
}

export interface WeatherResult {
  avgTemp: number;
  maxTemp: number;
  totalTemp: number;
  head: Record<string, ArrayLike<unknown>>;
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
): Promise<WeatherResult> {
  const opts = parseNotebookArgs(argv, WEATHER_DEFAULTS);
  if (opts.help) {
    io.out(`${usage('examples/dist/weather.js', WEATHER_DEFAULTS)}\n`);
    return { avgTemp: Number.NaN, maxTemp: Number.NaN, totalTemp: Number.NaN, head: {}, steps: [] };
  }
  const nb = new Notebook('Weather', opts, io);
  try {
    // %% Start the workers (the Python notebook runs on Dask's default local scheduler)
    await nb.cell('Start the scheduler', (c) => nb.startWorkers(c.compute));

    // %% 1. Create and load data: simulate the readings, generated in parallel per partition
    let daskDf: DataFrame = await nb.cell('Generate the data', (c) =>
      fromArrays(weatherArrays(opts.rows, opts.partitions, opts.seed)).persist(c.compute),
    );

    // %% 2. Parallel aggregations: average temperature
    const avgTemp = await nb.cell('Average temperature', (c) =>
      daskDf.col('temperature').mean().compute(c.compute),
    );
    nb.print(`Average Daily Temperature: ${fixed(avgTemp, 2)}°C`);

    // %% Maximum temperature
    const maxTemp = await nb.cell('Maximum temperature', (c) =>
      daskDf.col('temperature').max().compute(c.compute),
    );
    nb.print(`Maximum Recorded Temperature: ${fixed(maxTemp, 2)}°C`);

    // %% Sum of temperatures
    const totalTemp = await nb.cell('Sum of temperatures', (c) =>
      daskDf.col('temperature').sum().compute(c.compute),
    );
    nb.print(`Total Sum of Temperatures: ${fixed(totalTemp, 2)}°C`);

    // %% 3. Parallel loops: convert temperatures to Fahrenheit with a per-element lambda
    const result = await nb.cell('Fahrenheit column (lambda map) and compute', (c) => {
      daskDf = daskDf.assign({
        temperature_fahrenheit: daskDf
          .col('temperature')
          .map((x: number) => (x * 9) / 5 + 32, { meta: ['temperature', 'float64'] }),
      });
      return daskDf.compute(c.compute);
    });

    // %% print(result.head())
    const head = await nb.cell('First 5 rows', () => {
      const h = result.head(5);
      nb.print(formatFrame({ columns: tableColumns(h) }));
      return Object.fromEntries(tableColumns(h).map((col) => [col.name, col.values]));
    });
    return { avgTemp, maxTemp, totalTemp, head, steps: nb.steps };
  } finally {
    await closeScheduler();
    nb.finish();
  }
}

void runIfMain(import.meta.url, main);
