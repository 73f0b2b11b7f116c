/**
 * Per-task overhead of each scheduler on 10,000 tiny tasks (the parallel-loop shape:
 * 10,000 independent calls and one sum), build + compute and compute only, with 2 workers.
 * Targets (issue 6): >= 30,000 tasks/s on threads, >= 10,000 on processes. Python Dask
 * 2022.12's threaded scheduler does about 11,000 tasks/s build + compute on this machine class.
 * 'distributed' runs on a local cluster of 2 worker processes (scheduler in this process).
 */
import { closeConnections, closePools, compute, getScheduler, LocalCluster } from '@dusk/scheduler';
import { machine, report, timeRuns } from './lib.js';
import { tinyTasks } from './tiny-tasks.js';

const N = 10_000;
const WORKERS = 2;
const RUNS = 15;
const { build, graph, keys, expected } = tinyTasks(N);

console.log(`machine: ${machine()}`);
const rows: { name: string; value: string }[] = [];
const cluster = await LocalCluster.start({ workers: WORKERS });
for (const scheduler of ['sync', 'threads', 'processes', 'distributed']) {
  const opts = { scheduler, workers: WORKERS, address: cluster.address };
  const full = await timeRuns(
    `${scheduler} build + compute`,
    async () => {
      const [r] = await compute(build(), opts);
      if (r !== expected) throw new Error(`wrong result ${r}`);
    },
    RUNS,
    3,
  );
  const s = getScheduler(scheduler, { workers: WORKERS, address: cluster.address });
  const only = await timeRuns(`${scheduler} compute only`, () => s.run(graph, keys), RUNS, 3);
  for (const t of [full, only]) {
    rows.push({
      name: t.name,
      value: `${t.medianMs.toFixed(1)} ms median of ${RUNS} = ${Math.round((N + 1) / (t.medianMs / 1000)).toLocaleString('en-US')} tasks/s`,
    });
  }
}
report(`schedulers, ${N.toLocaleString('en-US')} tiny tasks, ${WORKERS} workers`, rows);
await closePools();
await closeConnections();
await cluster.close();
