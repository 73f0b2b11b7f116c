/**
 * Prime checking, a CPU-heavy map: test each number of a range by trial division in
 * parallel tasks, one batch of numbers per task so each task does milliseconds of work.
 */
import { delayed, tasks } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { pyFloatRepr } from '../notebook/py-format.js';
import { patternContext } from './pattern-cli.js';

/** Python's is_prime: trial division up to the square root. */
export function isPrime(n: number): boolean {
  if (n <= 1) return false;
  const limit = Math.floor(Math.sqrt(n));
  for (let i = 2; i <= limit; i++) if (n % i === 0) return false;
  return true;
}

/** The primes among `numbers` (one task's batch). */
export function primesIn(numbers: number[]): number[] {
  return numbers.filter(isPrime);
}

const t = tasks(import.meta.url, { primesIn });

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<number[]> {
  const ctx = patternContext(argv, io, {
    counts: { start: 10_000_000, count: 100, batch: 10 },
  });
  const { start, count, batch } = ctx.counts as Record<string, number>;

  // %% numbers = list(range(10_000_000, 10_000_100)); check each in parallel
  const numbers = Array.from({ length: count }, (_, i) => start + i);
  const t0 = performance.now();
  const batches = [];
  for (let i = 0; i < numbers.length; i += batch) {
    batches.push(delayed(t.primesIn)(numbers.slice(i, i + batch)));
  }
  const found = (await compute(...batches, ctx.compute)) as number[][];
  const primes = found.flat();
  const seconds = (performance.now() - t0) / 1000;
  ctx.print('Primes:', primes);
  ctx.print('Time taken:', pyFloatRepr(seconds));
  return primes;
}

// Not awaited: workers import this module for its tasks, and a top-level await would
// keep that import waiting on the run that needs it.
void runIfMain(import.meta.url, main);
