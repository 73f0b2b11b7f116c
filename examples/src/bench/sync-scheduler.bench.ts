/**
 * Scheduler overhead of the sync scheduler on a 10,000-task graph (build + compute and
 * compute only), and optimizer time (cull + fuse) on a 100,000-task graph.
 * Targets (issue 2): >= 100,000 tasks/s build + compute; cull + fuse < 0.5 s.
 */
import { cull, fuse, type Graph, lambdaFn, ref, task } from '@dusk/core';
import { compute, SyncScheduler } from '@dusk/scheduler';
import { microBench, report, timeRuns } from './lib.js';
import { tinyTasks } from './tiny-tasks.js';

const N = 10_000;
// The parallel-loop shape: N independent calls, one reduction.
const { build, graph, keys } = tinyTasks(N, { pure: false });
const sync = new SyncScheduler();

const micro = await microBench({
  'build + compute': async () => {
    await compute(build(), { scheduler: 'sync' });
  },
  'compute only (scheduler.run)': async () => {
    await sync.run(graph, keys);
  },
});

function chainGraph(n: number): { g: Graph; out: string } {
  const f = lambdaFn((x: number) => x + 1);
  const g: Graph = new Map();
  // 10,000 chains of 10: the shape fusion is for.
  const ends: string[] = [];
  for (let c = 0; c < n / 10; c++) {
    g.set(`x-${c}:0`, task(f, [c]));
    for (let i = 1; i < 10; i++) g.set(`x-${c}:${i}`, task(f, [ref(`x-${c}:${i - 1}`)]));
    ends.push(`x-${c}:9`);
  }
  return { g, out: ends[0]! };
}
const big = chainGraph(100_000);
const allEnds = [...big.g.keys()].filter((k) => k.endsWith(':9'));
const opt = await timeRuns(
  'cull + fuse, 100,000 tasks',
  () => fuse(cull(big.g, allEnds), allEnds),
  5,
);

report('sync scheduler, 10,000 tasks', [
  ...micro.map((t) => ({
    name: t.name,
    value: `${t.medianMs.toFixed(1)} ms median = ${Math.round((N + 1) / (t.medianMs / 1000)).toLocaleString('en-US')} tasks/s`,
  })),
  { name: opt.name, value: `${opt.medianMs.toFixed(0)} ms median of ${opt.runsMs.length}` },
]);
