/**
 * Futures: submit work to a client and collect it as it finishes (Dask's
 * `client.map` / `client.gather` / `progress`). Work starts at submit time, not at a
 * later compute; `progress` draws a bar as futures complete.
 */
import { tasks } from '@dusk/core';
import { Client, progress } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { patternContext } from './pattern-cli.js';

/** Python's add(x, y). */
export function add(x: number, y: number): number {
  return x + y;
}

/** Python's slow_task: blocks its worker for `ms` (like time.sleep), then doubles x. */
export function slowTask(x: number, ms: number): number {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return x * 2;
}

const t = tasks(import.meta.url, { add, slowTask });

export interface FuturesResult {
  sums: number[];
  doubled: number[];
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<FuturesResult> {
  const ctx = patternContext(argv, io, { counts: { n: 10, 'sleep-ms': 500 } });
  const { n } = ctx.counts as Record<string, number>;
  const client = new Client({
    scheduler: ctx.compute.scheduler,
    workers: ctx.compute.workers,
  });
  try {
    // %% Task scheduling: client.map(add, range(10), range(10, 20)), then gather
    const futures = Array.from({ length: n }, (_, i) => client.submit(t.add, [i, i + 10]));
    const sums = await client.gather(futures);
    ctx.print(`Task Results: ${`[${sums.join(', ')}]`}`);

    // %% Load balancing: slow tasks spread over the workers, with a progress bar
    const slow = Array.from({ length: n }, (_, i) =>
      client.submit(t.slowTask, [i, ctx.counts['sleep-ms']!]),
    );
    await progress(slow, { write: (line) => ctx.io.err(line) });
    const doubled = await client.gather(slow);
    ctx.print(doubled);
    return { sums, doubled };
  } finally {
    await client.close();
  }
}

void runIfMain(import.meta.url, main);
