import { readText } from '@dusk/bag';
import { closePools, compute } from '@dusk/scheduler';

const path = '/tmp/dusk-bench-bag/words-100mb.txt';
const mk = () =>
  readText(path, { blocksize: 8 * 1024 * 1024 })
    .str.split()
    .flatten()
    .frequencies();
for (const s of ['sync', 'threads', 'sync', 'threads']) {
  const per = [];
  const t0 = performance.now();
  await compute(mk(), {
    scheduler: s,
    workers: 2,
    onProgress: (p) => per.push([p.key?.slice(0, 22), p.worker, Math.round(p.ms ?? 0)]),
  });
  const wall = performance.now() - t0;
  const busy = per.reduce((a, p) => a + p[2], 0);
  console.log(s, 'wall', wall.toFixed(0), 'sum of task ms', busy, JSON.stringify(per.slice(0, 14)));
}
await closePools();
