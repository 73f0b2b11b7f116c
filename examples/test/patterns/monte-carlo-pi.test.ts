import * as da from '@dusk/array';
import { nextDouble, xoshiro } from '@dusk/array/kernels';
import { describe, expect, it } from 'vitest';
import { pyFloatRepr } from '../../dist/notebook/py-format.js';
import { main } from '../../dist/patterns/monte-carlo-pi.js';
import { runCaptured, testSchedulers } from '../helpers.js';

describe.each(testSchedulers())('Monte Carlo pi on %s', (scheduler) => {
  it('estimates pi per worker and with arrays, matching plain loops over the same streams', async () => {
    const n = 200_000;
    const { lines, result } = await runCaptured(main, [
      ...['--scheduler', scheduler, '--samples', String(n), '--parts', '4'],
      ...['--chunk', '30000', '--seed', '7'],
    ]);
    // Per worker: part i draws x, y pairs from stream (seed, i).
    let inside = 0;
    for (let part = 0; part < 4; part++) {
      const g = xoshiro(7, part);
      for (let i = 0; i < n / 4; i++) {
        const x = nextDouble(g);
        const y = nextDouble(g);
        if (x * x + y * y <= 1) inside++;
      }
    }
    expect(result.perWorker).toBe((4 * inside) / n);
    // Arrays: the same random arrays, materialized, then tested in a plain loop.
    const x = (await da.random.random(n, { chunks: 30000, seed: 7 }).compute()).data;
    const y = (await da.random.random(n, { chunks: 30000, seed: 8 }).compute()).data;
    let insideArrays = 0;
    for (let i = 0; i < n; i++) if (x[i] * x[i] + y[i] * y[i] <= 1) insideArrays++;
    expect(result.arrays).toBe((4 * insideArrays) / n);
    expect(Math.abs(result.arrays - Math.PI)).toBeLessThan(0.02);
    expect(lines[0]).toBe(`Estimated π: ${pyFloatRepr(result.perWorker)}`);
    expect(lines[1]).toMatch(/^Time taken: \d/);
    expect(lines[2]).toBe(`Estimated π (arrays): ${pyFloatRepr(result.arrays)}`);
  });
});
