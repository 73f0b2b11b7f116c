/**
 * A three-stage pipeline of delayed calls: each stage is a task that depends on the one
 * before, and independent items flow through the stages in parallel.
 */
import { delayed } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { tuple } from '../notebook/py-format.js';
import { patternContext } from './pattern-cli.js';

export interface PipelineResult {
  single: number;
  items: number[];
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<PipelineResult> {
  const ctx = patternContext(argv, io);

  // %% stage_three(stage_two(stage_one(5)))
  const stageOne = delayed((x: number) => x + 1);
  const stageTwo = delayed((x: number) => x * 2);
  const stageThree = delayed((x: number) => x - 3);
  const result = stageThree(stageTwo(stageOne(5)));
  const [single] = await compute(result, ctx.compute);
  ctx.print(tuple(single));

  // %% Many items through three stages: x * 2, then + 10, then squared
  const double = delayed((x: number) => x * 2);
  const addTen = delayed((x: number) => x + 10);
  const squared = delayed((x: number) => x ** 2);
  const items = await compute(
    ...[1, 2, 3, 4, 5].map((x) => squared(addTen(double(x)))),
    ctx.compute,
  );
  ctx.print(items);
  return { single: single as number, items: items as number[] };
}

// Not awaited: workers import this module for its tasks, and a top-level await would
// keep that import waiting on the run that needs it.
void runIfMain(import.meta.url, main);
