// The worker runtime on its own, fed messages by hand: how often it reports finished tasks,
// and in which order it runs what it was sent.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { task, toFnRef } from '@dusk/core';
import { expect, it } from 'vitest';
import { arm, createBoard } from '../src/local/claim-board.js';
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
  // Idle for longer than the 20 ms reporting period: the period starts again with the new
  // work, so the first task is not reported alone.
  await new Promise((res) => setTimeout(res, 30));
  // 12 tasks of 1 ms: one report once less than 4 ms of work is left (asking for more
  // while 3 tasks still run), one as the last starts, one as the queue empties. On a loaded
  // machine (other test files run alongside) the run can outlast the 20 ms reporting
  // period, which then adds a report per period, and a task slowed by a preemption makes
  // the low-water report come early.
  const t0 = performance.now();
  await run('1.0', 12, 1);
  const periods = Math.floor((performance.now() - t0) / 20);
  expect(reports.length).toBeLessThanOrEqual(3 + periods);
  if (periods === 0) expect(reports[0]!.length).toBeGreaterThanOrEqual(8);
  expect(reports.flat().sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
});

it('sends back the small results it is asked for with their report, and only those', async () => {
  const reports: Extract<FromWorker, { t: 'done' }>[] = [];
  let done!: () => void;
  const all = new Promise<void>((res) => {
    done = res;
  });
  const onMessage = createWorkerRuntime((m: FromWorker) => {
    if (m.t !== 'done') return;
    reports.push(m);
    if (reports.flatMap((r) => r.items).length >= 9) done();
  }, false);
  const spin = toFnRef(t.spin!);
  const big = Array.from({ length: 2000 }, (_, i) => i); // ~16 KB: too big to come back
  const tasks: WireTask[] = [
    [0, 'a', task(spin, [{ total: 5 }, 0])],
    [1, 'b', task(spin, [7, 0])],
    [2, 'c', task(spin, [big, 0])],
  ];
  onMessage({ t: 'run', run: '0.0', tasks, enc: false, back: [0, 2] } satisfies ToWorker);
  await all;
  const back = reports.flatMap((r) => r.values ?? []);
  // Task 1 was not asked for; task 2 was, but its result is large: asked for later.
  expect(back).toEqual([0, { total: 5 }]);
  expect(reports.every((r) => r.enc !== true)).toBe(true);
});

it('runs its queued tasks in the shared order: a step sent later goes before partitions sent earlier', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dusk-order-')), 'ran.txt');
  writeFileSync(path, '');
  let reported = 0;
  let done!: () => void;
  const onMessage = createWorkerRuntime((m: FromWorker) => {
    if (m.t !== 'done') return;
    reported += m.items.length / 3;
    if (reported >= 5) done();
  }, false);
  const logged = toFnRef(t.logged!);
  const wire = (i: number, ms: number): WireTask => [i, `p-${i}`, task(logged, [path, i, ms])];
  const all = new Promise<void>((res) => {
    done = res;
  });
  onMessage({ t: 'run', run: '1.0', tasks: [wire(0, 0)], enc: false } satisfies ToWorker);
  await new Promise((res) => setTimeout(res, 50)); // the module is loaded: no wait below
  // Three 3 ms partitions; while the first runs, a step with a smaller index (its priority
  // in the shared order) comes in a later message, as a reduction's combine step does.
  onMessage({ t: 'run', run: '1.0', tasks: [wire(10, 3), wire(11, 3), wire(12, 3)], enc: false });
  await new Promise((res) => setTimeout(res, 1));
  onMessage({ t: 'run', run: '1.0', tasks: [wire(3, 0)], enc: false });
  await all;
  expect(readFileSync(path, 'utf8').trim().split('\n').map(Number)).toEqual([0, 10, 3, 11, 12]);
});

it('reports as its last task starts also when the tasks queued after it were taken back', async () => {
  const reports: number[][] = [];
  let done!: () => void;
  const all = new Promise<void>((res) => {
    done = res;
  });
  const onMessage = createWorkerRuntime((m: FromWorker) => {
    if (m.t !== 'done') return;
    reports.push(m.items.filter((_, j) => j % 3 === 0));
    if (reports.flat().length >= 3) done();
  }, false);
  const spin = toFnRef(t.spin!);
  onMessage({ t: 'run', run: '0.0', tasks: [[0, 'w', task(spin, [0, 0])]], enc: false });
  await new Promise((res) => setTimeout(res, 50)); // the module is loaded
  reports.length = 0;
  // Tasks 0 and 1 are open to this worker; task 2 was taken back for another one (its slot
  // no longer holds the ticket it was sent with).
  const board = createBoard(3);
  arm(board, 0, 1);
  arm(board, 1, 1);
  const tasks: WireTask[] = [0, 1, 2].map((i) => [i, `s-${i}`, task(spin, [i, 3]), 1]);
  onMessage({ t: 'run', run: '1.0', tasks, enc: false, board } satisfies ToWorker);
  while (reports.flat().length < 2) await new Promise((res) => setTimeout(res, 1));
  // Task 0's report went out as task 1, the last that can run here, started: the pool hears
  // of it a task earlier than at the end of the queue.
  expect(reports).toEqual([[0], [1]]);
  done();
  await all;
});
