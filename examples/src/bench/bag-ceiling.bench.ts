/**
 * The two-thread ceiling of the word-count kernel on this machine, without Dusk: the same
 * kernel (countWordsBlock) run on raw worker threads, all blocks on one thread vs half on
 * each of two, next to a pure-arithmetic loop. It tells how much of bag.bench.ts's
 * threads-vs-sync ratio the hardware allows. Reads the text bag.bench.ts generates.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { countWordsBlock } from '@dusk/bag/kernels';
import { machine, median, report } from './lib.js';

const path = join(tmpdir(), 'dusk-bench-bag', 'words-100mb.txt');
const BLOCK = 8 * 1024 * 1024;
const ROUNDS = 5;
const SPIN = 2e8;

type Job = { kind: 'count'; blocks: number[] } | { kind: 'spin'; n: number };

function spin(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003;
  return s;
}

function work(job: Job): void {
  if (job.kind === 'spin') spin(job.n);
  else
    for (const b of job.blocks)
      countWordsBlock(path, b * BLOCK, (b + 1) * BLOCK, { encoding: 'utf8', includePath: false });
}

if (!isMainThread) {
  parentPort!.on('message', (job: Job) => {
    work(job);
    parentPort!.postMessage('done');
  });
} else if (!existsSync(path)) {
  console.log(`${path} is missing: run bag.bench.js first (it generates the text).`);
} else {
  const workers = [new Worker(new URL(import.meta.url)), new Worker(new URL(import.meta.url))];
  const run = (w: Worker, job: Job) =>
    new Promise<void>((resolve) => {
      w.once('message', () => resolve());
      w.postMessage(job);
    });
  const blocks = Array.from({ length: Math.floor(statSync(path).size / BLOCK) }, (_, i) => i);
  const half = blocks.length >> 1;
  const cases: [string, Job, Job, Job][] = [
    [
      'pure arithmetic',
      { kind: 'spin', n: SPIN },
      { kind: 'spin', n: SPIN },
      { kind: 'spin', n: SPIN },
    ],
    [
      `countWordsBlock x${blocks.length}`,
      { kind: 'count', blocks },
      { kind: 'count', blocks: blocks.slice(0, half) },
      { kind: 'count', blocks: blocks.slice(half) },
    ],
  ];
  const rows: { name: string; value: string }[] = [];
  for (const [name, whole, a, b] of cases) {
    await Promise.all([run(workers[0]!, a), run(workers[1]!, b)]); // warm both
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      if (whole.kind === 'spin') {
        await run(workers[0]!, whole);
        await run(workers[0]!, whole);
      } else await run(workers[0]!, whole);
      one.push(performance.now() - t);
      t = performance.now();
      await Promise.all([run(workers[0]!, a), run(workers[1]!, b)]);
      two.push(performance.now() - t);
    }
    const ratios = one.map((x, i) => x / two[i]!);
    rows.push({
      name,
      value: `one thread ${median(one).toFixed(0)} ms, two threads ${median(two).toFixed(0)} ms: ${median(ratios).toFixed(2)}x (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')})`,
    });
  }
  for (const w of workers) await w.terminate();
  report(`two-thread ceiling without Dusk (${machine()})`, rows);
}
