/**
 * Monte Carlo estimate of pi: draw points in the unit square and count those inside the
 * quarter circle; 4 * inside / total approaches pi. Twice: as the course writes it (one
 * task per worker, each with its own seeded stream) and the Dask way (two random arrays
 * in chunks, an element-wise test and a sum, fused into one pass per chunk).
 */
import * as da from '@dusk/array';
import { nextDouble, xoshiro } from '@dusk/array/kernels';
import { delayed, tasks } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { pyFloatRepr } from '../notebook/py-format.js';
import { patternContext } from './pattern-cli.js';

/** monte_carlo_pi_part: points inside the quarter circle among `samples` from stream `part`. */
export function countInside(samples: number, seed: number, part: number): number {
  const g = xoshiro(seed, part);
  let count = 0;
  for (let i = 0; i < samples; i++) {
    const x = nextDouble(g);
    const y = nextDouble(g);
    if (x * x + y * y <= 1) count++;
  }
  return count;
}

const t = tasks(import.meta.url, { countInside });

/** The lazy count of points inside, from two random arrays of `n` in `chunks`. */
export function insideCount(n: number, chunks: number, seed: number): da.DuskArray {
  const x = da.random.random(n, { chunks, seed });
  const y = da.random.random(n, { chunks, seed: seed + 1 });
  return x.mul(x).add(y.mul(y)).le(1).sum();
}

export interface PiResult {
  perWorker: number;
  arrays: number;
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<PiResult> {
  const ctx = patternContext(argv, io, {
    counts: { samples: 10_000_000, parts: 4, chunk: 1_000_000, seed: 42 },
  });
  const { samples, parts, chunk, seed } = ctx.counts as Record<string, number>;

  // %% One task per worker, each counting its share with its own stream
  let t0 = performance.now();
  const perPart = Math.floor(samples / parts);
  const counts = Array.from({ length: parts }, (_, i) => delayed(t.countInside)(perPart, seed, i));
  const inside = ((await compute(...counts, ctx.compute)) as number[]).reduce((a, b) => a + b, 0);
  const perWorker = (4 * inside) / (perPart * parts);
  ctx.print(`Estimated π: ${pyFloatRepr(perWorker)}`);
  ctx.print('Time taken:', pyFloatRepr((performance.now() - t0) / 1000));

  // %% The Dask way: random arrays, an element-wise test, a sum
  t0 = performance.now();
  const arrays = (4 * (await insideCount(samples, chunk, seed).compute(ctx.compute))) / samples;
  ctx.print(`Estimated π (arrays): ${pyFloatRepr(arrays)}`);
  ctx.print('Time taken:', pyFloatRepr((performance.now() - t0) / 1000));
  return { perWorker, arrays };
}

void runIfMain(import.meta.url, main);
