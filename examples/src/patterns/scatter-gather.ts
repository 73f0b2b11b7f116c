/**
 * Scatter-gather: split the input into pieces, process each piece in its own task
 * (scatter), then collect every result in one place (gather) and combine them.
 */
import { delayed, tasks } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { patternContext } from './pattern-cli.js';

/** The worker's job on one piece: Python's process_data, `sum(data)`. */
export function processData(piece: number[]): number {
  let s = 0;
  for (const x of piece) s += x;
  return s;
}

/** Squares one item; used for the per-item scatter. */
export function squareItem(x: number): number {
  return x ** 2;
}

const t = tasks(import.meta.url, { processData, squareItem });

/** range(lo, hi) as a list. */
const range = (lo: number, hi: number) => Array.from({ length: hi - lo }, (_, i) => lo + i);

export interface ScatterGatherResult {
  pieces: number[];
  gathered: number;
  squares: Map<number, number>;
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<ScatterGatherResult> {
  const ctx = patternContext(argv, io, { counts: { items: 100 } });

  // %% Scatter three ranges to three tasks, gather the partial sums
  const data = [range(1, 11), range(11, 21), range(21, 31)];
  const pieces = (await compute(
    ...data.map((d) => delayed(t.processData)(d)),
    ctx.compute,
  )) as number[];
  const gathered = pieces.reduce((a, b) => a + b, 0);
  ctx.print(`Gathered Result: ${gathered}`);

  // %% Scatter every item, gather the results keyed by the item they came from
  const items = range(0, ctx.counts.items!);
  const results = (await compute(
    ...items.map((x) => delayed(t.squareItem)(x)),
    ctx.compute,
  )) as number[];
  const squares = new Map(items.map((x, i) => [x, results[i]!]));
  ctx.print(`Gathered ${squares.size} results; 7 -> ${squares.get(7)}, 99 -> ${squares.get(99)}`);
  return { pieces, gathered, squares };
}

// Not awaited: workers import this module for its tasks, and a top-level await would
// keep that import waiting on the run that needs it.
void runIfMain(import.meta.url, main);
