/**
 * The course material's CPU-bound examples on each scheduler, with their speedup over
 * sync: prime check of 100 numbers near 1e7 (one task per number, as in the course),
 * Monte Carlo pi with 1e7 samples (one task per part), recursive fib 30-33 (one task each).
 * Medians of several runs; two workers (the machine has two cores).
 */
import { Worker } from 'node:worker_threads';
import { delayed } from '@dusk/core';
import { closePools, compute } from '@dusk/scheduler';
import { machine, report, timeRuns } from './lib.js';

const WORKERS = 2;
const RUNS = 7;
const SCHEDULERS = ['sync', 'threads', 'processes'];

const isPrime = delayed(
  (n: number) => {
    if (n <= 1) return false;
    const r = Math.floor(Math.sqrt(n));
    for (let i = 2; i <= r; i++) if (n % i === 0) return false;
    return true;
  },
  { name: 'is-prime' },
);

// xorshift32 seeded per part: the estimate is the same on every scheduler.
const insideCircle = delayed(
  (samples: number, seed: number) => {
    let s = seed >>> 0 || 1;
    let count = 0;
    for (let i = 0; i < samples; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const x = (s >>> 0) / 4294967296;
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const y = (s >>> 0) / 4294967296;
      if (x * x + y * y <= 1) count++;
    }
    return count;
  },
  { name: 'pi-part' },
);

const fib = delayed(
  function fib(n: number): number {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  },
  { name: 'fib' },
);

const add = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));

const patterns: Record<string, { build: () => any; check: (r: any) => string }> = {
  'prime check, 100 numbers near 1e7': {
    build: () => Array.from({ length: 100 }, (_, i) => isPrime(10_000_000 + i)),
    check: (r: boolean[]) => `${r.filter(Boolean).length} primes`,
  },
  'Monte Carlo pi, 1e7 samples in 4 parts': {
    build: () => add(Array.from({ length: 4 }, (_, i) => insideCircle(2_500_000, 12345 + i))),
    check: (inside: number) => `pi ~ ${((4 * inside) / 1e7).toFixed(4)}`,
  },
  'recursive fib 30, 31, 32, 33': {
    build: () => [30, 31, 32, 33].map((n) => fib(n)),
    check: (r: number[]) => r.join(', '),
  },
};

/**
 * What this shared machine gives right now: the same CPU loop on one bare worker thread and
 * on two at once (no Dusk), so the speedups below can be read against it.
 */
async function parallelCapacity(): Promise<number> {
  const source = `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => {
      let s = 0;
      for (let i = 0; i < 1e8; i++) s = (s + i * 7) % 1000003;
      parentPort.postMessage(s);
    });`;
  const workers = [0, 1].map(() => new Worker(source, { eval: true }));
  const run = (w: Worker) =>
    new Promise((r) => {
      w.once('message', r);
      w.postMessage(0);
    });
  await Promise.all(workers.map(run));
  const t0 = performance.now();
  await run(workers[0]!);
  const one = performance.now() - t0;
  const t1 = performance.now();
  await Promise.all(workers.map(run));
  const two = performance.now() - t1;
  await Promise.all(workers.map((w) => w.terminate()));
  return (2 * one) / two;
}

console.log(`machine: ${machine()}`);
console.log(
  `two bare worker threads do ${(await parallelCapacity()).toFixed(2)}x the work of one right now`,
);
for (const [title, p] of Object.entries(patterns)) {
  const rows: { name: string; value: string }[] = [];
  let syncMs = 0;
  for (const scheduler of SCHEDULERS) {
    let answer = '';
    const t = await timeRuns(
      scheduler,
      async () => {
        const built = p.build();
        const list = Array.isArray(built) ? built : [built];
        const out = await compute(...list, { scheduler, workers: WORKERS });
        answer = p.check(Array.isArray(built) ? out : out[0]);
      },
      RUNS,
      2,
    );
    if (scheduler === 'sync') syncMs = t.medianMs;
    rows.push({
      name: scheduler,
      value: `${t.medianMs.toFixed(1)} ms median of ${RUNS}, speedup ${(syncMs / t.medianMs).toFixed(2)}x  (${answer})`,
    });
  }
  report(title, rows);
}
await closePools();
