import { fromColumns } from '@dusk/dataframe';
import { closePools, getPool, persist, compute } from '@dusk/scheduler';
const n = 2_000_000;
const x = new Float64Array(n).map((_, i) => i % 1000);
const g = new Int32Array(n).map((_, i) => i % 7);
const df = fromColumns({ x, g }, { npartitions: 8 });
const opts = { scheduler: 'processes', workers: 2 };
const pool = getPool('processes');
let t = performance.now();
const [p] = await persist(df.assign ? df : df, opts);
console.log('persist', performance.now() - t, pool.heldBytes(), pool.stats.taskBytes);
for (let r = 0; r < 2; r++) {
  t = performance.now();
  const b = pool.stats.taskBytes;
  const m = await p.col('x').mean().compute(opts);
  console.log('mean', m, performance.now() - t, pool.stats.taskBytes - b);
}
const [s] = await compute(p.col('x').mean(), { scheduler: 'sync' });
console.log('sync', s);
const gb = await p.groupby('g').agg({ x: 'sum' }).compute(opts);
console.log(gb.toString());
console.log(pool.stats.posted);
await closePools();
