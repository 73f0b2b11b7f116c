import { fromColumns } from '@dusk/dataframe';
import { closeConnections, closePools, LocalCluster, persist, compute, getPool } from '@dusk/scheduler';
const cluster = await LocalCluster.start({ workers: 2 });
const n = 2_000_000;
const x = new Float64Array(n).map((_, i) => i % 1000);
const g = new Int32Array(n).map((_, i) => i % 7);
const df = fromColumns({ x, g }, { npartitions: 8 });
const opts = { scheduler: 'distributed', address: cluster.address };
let t = performance.now();
const [p] = await persist(df, opts);
console.log('persist', performance.now() - t, cluster.server.pool.heldBytes());
for (let r = 0; r < 2; r++) {
  t = performance.now();
  const m = await p.col('x').mean().compute(opts);
  console.log('mean', m, performance.now() - t);
}
console.log('sync', await p.col('x').mean().compute({ scheduler: 'sync' }));
console.log('processes', await p.col('x').mean().compute({ scheduler: 'processes' }));
const [p2] = await persist(p, { scheduler: 'processes' });
console.log('procs held', getPool('processes').heldBytes(), await p2.col('x').mean().compute(opts));
console.log((await p.groupby('g').agg({ x: 'sum' }).compute(opts)).toString());
console.log((await p.nlargest(3, 'x').compute(opts)).toString());
await closeConnections();
await new Promise((r) => setTimeout(r, 200));
console.log('after close', cluster.server.pool.heldBytes());
await cluster.close();
await closePools();
