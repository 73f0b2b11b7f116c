/**
 * A parallel loop: every iteration becomes an independent delayed task, and one compute
 * runs them all at once (Python: `dask.compute(*[multiply(i) for i in range(10)])`).
 */
import { delayed } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { tuple } from '../notebook/py-format.js';
import { patternContext } from './pattern-cli.js';

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<number[]> {
  const ctx = patternContext(argv, io, { counts: { n: 10 } });

  // %% results = [multiply(i) for i in range(n)]; dask.compute(*results)
  const multiply = delayed((x: number) => x * 2);
  const results = Array.from({ length: ctx.counts.n! }, (_, i) => multiply(i));
  const finalResult = (await compute(...results, ctx.compute)) as number[];
  ctx.print(tuple(...finalResult));
  return finalResult;
}

// Not awaited: workers import this module for its tasks, and a top-level await would
// keep that import waiting on the run that needs it.
void runIfMain(import.meta.url, main);
