/**
 * Map-reduce, the classic way: square every number in parallel tasks (map) and add the
 * squares (reduce); then the scalable way: one task per chunk of a large range, combined
 * by a tree of partial sums so no task receives more than a few inputs.
 */
import { type Delayed, delayed, tasks } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { patternContext } from './pattern-cli.js';

/** Partials combined per tree step (Dask's split_every default is 8 too). */
const SPLIT_EVERY = 8;

/** Sum of i*i for i in [lo, hi): one map task over a chunk. */
export function sumSquaresRange(lo: number, hi: number): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += i * i;
  return s;
}

/** Adds partial sums: one reduce task. */
export function addAll(parts: number[]): number {
  let s = 0;
  for (const p of parts) s += p;
  return s;
}

const t = tasks(import.meta.url, { sumSquaresRange, addAll });

/** Reduces many lazy partials with a tree of `addAll` calls, SPLIT_EVERY at a time. */
export function treeSum(parts: Delayed<number>[]): Delayed<number> {
  let level = parts;
  while (level.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i < level.length; i += SPLIT_EVERY) {
      next.push(delayed(t.addAll, { name: 'add-partials' })(level.slice(i, i + SPLIT_EVERY)));
    }
    level = next;
  }
  return level[0]!;
}

export interface MapReduceResult {
  small: number;
  squaresTo10: number;
  chunked: number;
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<MapReduceResult> {
  const ctx = patternContext(argv, io, { counts: { n: 100_000, chunk: 10_000 } });
  const { n, chunk } = ctx.counts as { n: number; chunk: number };

  // %% map_function(x) = x * x over [1, 2, 3, 4, 5], reduce_function = sum
  const square = delayed((x: number) => x * x);
  const sum = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
  const small = await sum([1, 2, 3, 4, 5].map((x) => square(x))).compute(ctx.compute);
  ctx.print(`MapReduce Result: ${small}`);

  // %% Sum of squares of range(1, 11)
  const squaresTo10 = await sum(Array.from({ length: 10 }, (_, i) => square(i + 1))).compute(
    ctx.compute,
  );
  ctx.print(`Sum of squares: ${squaresTo10}`);

  // %% The same at scale: one map task per chunk of 1..n, a tree of partial sums
  const parts: Delayed<number>[] = [];
  for (let lo = 1; lo <= n; lo += chunk) {
    parts.push(delayed(t.sumSquaresRange)(lo, Math.min(lo + chunk, n + 1)));
  }
  const [chunked] = await compute(treeSum(parts), ctx.compute);
  ctx.print(`Sum of squares of 1..${n} in ${parts.length} chunks: ${chunked}`);
  return { small, squaresTo10, chunked: chunked as number };
}

// Not awaited: workers import this module for its tasks, and a top-level await would
// keep that import waiting on the run that needs it.
void runIfMain(import.meta.url, main);
