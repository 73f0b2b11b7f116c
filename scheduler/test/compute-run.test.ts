// The shell of a compute on a local pool, driven with a fake pool: what it posts to each
// worker slot as reports come in.
import { graphFrom, moduleFn, task } from '@dusk/core';
import { expect, it } from 'vitest';
import { claim } from '../src/local/claim-board.js';
import { ComputeRun, type PoolLink } from '../src/local/compute-run.js';
import type { ToWorker } from '../src/local/protocol.js';

const identity = moduleFn('@dusk/core/kernels', 'identity');
type Run = Extract<ToWorker, { t: 'run' }>;

/** A compute of `n` independent tasks on slot 0 and slot 1, slot 0 in this thread or not. */
async function startRun(n: number, slot0InThread: boolean) {
  const posts: { w: number; msg: ToWorker }[] = [];
  const link: PoolLink = {
    post: (w, msg) => posts.push({ w, msg }),
    workerId: (w) => `slot-${w}`,
    relayed: () => {},
    finished: () => {},
    inThread: (w) => slot0InThread && w === 0,
  };
  const g = graphFrom({});
  const keys = Array.from({ length: n }, (_, i) => `t:${i}`);
  for (const [i, k] of keys.entries()) g.set(k, task(identity, [i]));
  const run = new ComputeRun(1, g, keys, 2, link, {
    retryLimit: 0,
    stealFlight: true,
    smallResultsBack: true,
    inflightMs: 1_000,
    pickFirstWorker: () => 0,
    // Each task timed at 1 ms by earlier computes.
    priorMs: new Map([['t', 1]]),
  });
  await run.start();
  return { run, posts, runs: (w: number) => posts.filter((p) => p.w === w && p.msg.t === 'run') };
}

it("leaves the caller's slot its next task when it yielded between tasks, and steals it from a busy worker thread", async () => {
  for (const inThread of [true, false]) {
    const { run, posts, runs } = await startRun(4, inThread);
    const [first0] = runs(0).map((p) => p.msg as Run);
    const [first1] = runs(1).map((p) => p.msg as Run);
    expect(first0?.tasks).toHaveLength(2);
    expect(first1?.tasks).toHaveLength(2);
    const board = (first0!.board ?? first1!.board)!;
    // Slot 0 claimed its first task (it ran, or runs, and is not reported yet); its second
    // waits. Slot 1 ran both of its own and reports them: it is idle.
    const [started, waiting] = first0!.tasks;
    expect(claim(board, started![0], started![3]!)).toBe(true);
    for (const t of first1!.tasks) expect(claim(board, t[0], t[3]!)).toBe(true);
    const items = first1!.tasks.flatMap((t) => [t[0], 8, 1]);
    posts.length = 0;
    run.onMessage(1, { t: 'done', run: first1!.run, items, values: [] });
    const moved = runs(1).flatMap((p) => (p.msg as Run).tasks.map((t) => t[0]));
    // The caller's slot runs nothing while the pool runs: the task it claimed is over, and
    // its lone waiting task stays with it. A worker thread may still be running its own,
    // so the waiting one goes to the idle thread.
    expect(moved).toEqual(inThread ? [] : [waiting![0]]);
    run.halt(new Error('test over'));
    await run.promise.catch(() => {});
  }
});
