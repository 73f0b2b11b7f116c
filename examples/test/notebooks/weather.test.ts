import { describe, expect, it } from 'vitest';
import { formatFrame } from '../../dist/notebook/pandas-format.js';
import { fixed } from '../../dist/notebook/py-format.js';
import { main, weatherArrays } from '../../dist/weather.js';
import { runCaptured, testSchedulers } from '../helpers.js';

const ROWS = 30_000;
const PARTITIONS = 4;
const SEED = 7;

/** The notebook's figures by plain loops over the same seeded columns. */
async function reference() {
  const arrays = weatherArrays(ROWS, PARTITIONS, SEED);
  const station = (await arrays.station_id.compute({ scheduler: 'sync' }))
    .data as ArrayLike<number>;
  const temp = (await arrays.temperature.compute({ scheduler: 'sync' })).data as ArrayLike<number>;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  let outOfRange = 0;
  for (let i = 0; i < ROWS; i++) {
    sum += temp[i]!;
    if (temp[i]! > max) max = temp[i]!;
    if (!(station[i]! >= 1 && station[i]! < 1000 && temp[i]! >= -10 && temp[i]! < 50)) outOfRange++;
  }
  expect(outOfRange).toBe(0);
  const head = Array.from({ length: 5 }, (_, i) => i);
  return {
    mean: sum / ROWS,
    max,
    sum,
    station: head.map((i) => station[i]!),
    temp: head.map((i) => temp[i]!),
    fahrenheit: head.map((i) => (temp[i]! * 9) / 5 + 32),
  };
}

describe.each(testSchedulers())('weather notebook on %s', (scheduler) => {
  it('prints what the Python notebook prints, with figures matching plain loops', async () => {
    const ref = await reference();
    const { stdout, stderr, result } = await runCaptured(main, [
      ...['--scheduler', scheduler, '--rows', String(ROWS), '--partitions', String(PARTITIONS)],
      ...['--seed', String(SEED), '--progress', 'off'],
    ]);
    const expected = [
      `Average Daily Temperature: ${fixed(ref.mean, 2)}°C`,
      `Maximum Recorded Temperature: ${fixed(ref.max, 2)}°C`,
      `Total Sum of Temperatures: ${fixed(ref.sum, 2)}°C`,
      formatFrame({
        columns: [
          { name: 'station_id', dtype: 'int64', values: ref.station },
          { name: 'temperature', dtype: 'float64', values: ref.temp },
          { name: 'temperature_fahrenheit', dtype: 'float64', values: ref.fahrenheit },
        ],
      }),
      '',
    ].join('\n');
    expect(stdout).toBe(expected);
    expect(result.avgTemp).toBeCloseTo(ref.mean, 10);
    expect(result.maxTemp).toBe(ref.max);
    expect(result.totalTemp).toBeCloseTo(ref.sum, 6);
    expect(Array.from(result.head.temperature_fahrenheit as ArrayLike<number>)).toEqual(
      ref.fahrenheit,
    );
    expect(stderr).toMatch(
      /\[step \d+\] Fahrenheit column \(lambda map\) and compute: \d+\.\d{3} s/,
    );
  });
});
