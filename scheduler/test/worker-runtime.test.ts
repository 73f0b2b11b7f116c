// The worker runtime on its own, fed messages by hand: how often it reports finished tasks.
import { task, toFnRef } from '@dusk/core';
import { expect, it } from 'vitest';
import type { FromWorker, ToWorker, WireTask } from '../src/local/protocol.js';
import { createWorkerRuntime } from '../src/local/worker-runtime.js';
import { t } from './fixtures/pool-tasks.mjs';

it('reports when its queue runs low, not every few milliseconds', async () => {
  const reports: number[][] = [];
  let waiting: { n: number; done: () => void } | undefined;
  const onMessage = createWorkerRuntime((m: FromWorker) => {
    if (m.t !== 'done') return;
    reports.push(m.items.filter((_, j) => j % 3 === 0));
    if (waiting && reports.flat().length >= waiting.n) waiting.done();
  }, false);
  const spin = toFnRef(t.spin!);
  const run = (id: string, n: number, ms: number) => {
    const tasks: WireTask[] = Array.from({ length: n }, (_, i) => [
      i,
      `s-${i}`,
      task(spin, [i, ms]),
    ]);
    const all = new Promise<void>((done) => {
      waiting = { n: reports.flat().length + n, done };
    });
    onMessage({ t: 'run', run: id, tasks, enc: false } satisfies ToWorker);
    return all;
  };
  await run('0.0', 1, 0); // loads the module: the runs timed below start warm
  reports.length = 0;
  // 12 tasks of 1 ms: one report once less than 4 ms of work is left (asking for more
  // while 3 tasks still run), one as the last starts, one as the queue empties.
  await run('1.0', 12, 1);
  expect(reports.length).toBeLessThanOrEqual(3);
  expect(reports[0]!.length).toBeGreaterThanOrEqual(8);
  expect(reports.flat().sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
});
