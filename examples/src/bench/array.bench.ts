/**
 * Array benchmarks (issue 3). Each measurement runs in its own child process so its peak
 * RSS is its own:
 * - mean of random.random(1e9, { chunks: 1e7 }) on each scheduler, against a hand-written
 *   single-thread loop that generates the same numbers (same xoshiro128** streams) and sums
 *   them. Targets: peak RSS < 1 GB; sync within 1.3x of the loop; threads >= 1.8x sync.
 * - (x + x.T).mean() for 10,000 x 10,000 in 1000 x 1000 blocks, and sums over 1e8
 *   elements (generated, and already in memory), reported against the same kind of loop.
 * `DUSK_BENCH_SCALE=0.01` shrinks every size for a quick check.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as da from '@dusk/array';
import { pairwiseSum, xoshiro } from '@dusk/array/kernels';
import { schedulerNames } from '@dusk/scheduler';
import { machine, median, peakRssMb, report } from './lib.js';

const SCALE = Number(process.env.DUSK_BENCH_SCALE ?? 1);
const N_MEAN = Math.round(1e9 * SCALE);
const CHUNK = Math.round(1e7 * Math.min(1, SCALE * 10));
const N_SUM = Math.round(1e8 * SCALE);
const SIDE = Math.round(10_000 * Math.sqrt(SCALE));
const BLOCK = Math.max(1, Math.round(SIDE / 10));
const RUNS = 3;

interface Result {
  part: string;
  scheduler: string;
  ms: number[];
  value: number;
  rssMb: number;
}

/** The hand-written loop: each chunk's xoshiro128** stream, two draws per double, summed. */
function handMean(n: number, chunk: number, seed: number): number {
  let total = 0;
  for (let b = 0; b * chunk < n; b++) {
    const g = xoshiro(seed, b);
    let s0 = g.s0;
    let s1 = g.s1;
    let s2 = g.s2;
    let s3 = g.s3;
    let sum = 0;
    const len = Math.min(chunk, n - b * chunk);
    for (let i = 0; i < len; i++) {
      let r = Math.imul((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const a = r;
      r = Math.imul((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      sum += (a * 67108864 + r) / 9007199254740992;
    }
    total += sum;
  }
  return total / n;
}

async function timed(
  fn: () => Promise<number> | number,
  runs = RUNS,
): Promise<{ ms: number[]; value: number }> {
  const ms: number[] = [];
  let value = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms, value };
}

/** One measurement, in this (child) process. */
async function part(name: string, scheduler: string): Promise<Result> {
  const opts = { scheduler, workers: 2 };
  // Warm-up: start the pool and JIT-compile the kernels before anything is timed.
  if (scheduler !== 'hand')
    await da.random.random(4e6, { chunks: 1e6, seed: 9 }).add(1).mean().compute(opts);
  let r: { ms: number[]; value: number };
  switch (name) {
    case 'hand-mean-1e9':
      handMean(Math.min(N_MEAN, 1e7), CHUNK, 1); // JIT warm-up
      r = await timed(() => handMean(N_MEAN, CHUNK, 1));
      break;
    case 'hand-mean-1e8':
      handMean(Math.min(N_SUM, 1e7), CHUNK, 1);
      r = await timed(() => handMean(N_SUM, CHUNK, 1));
      break;
    case 'mean-1e9':
      r = await timed(() =>
        da.random.random(N_MEAN, { chunks: CHUNK, seed: 1 }).mean().compute(opts),
      );
      break;
    case 'x+x.T-mean': {
      const x = da.random.random([SIDE, SIDE], { chunks: BLOCK, seed: 1 });
      r = await timed(() => x.add(x.T).mean().compute(opts));
      break;
    }
    case 'sum-1e8-generated':
      r = await timed(() =>
        da.random.random(N_SUM, { chunks: CHUNK, seed: 1 }).sum().compute(opts),
      );
      break;
    case 'sum-1e8-in-memory': {
      const x = await da.random.random(N_SUM, { chunks: CHUNK, seed: 1 }).persist(opts);
      r = await timed(() => x.sum().compute(opts), RUNS + 2);
      break;
    }
    case 'hand-sum-1e8-in-memory': {
      const blocks = (await da.random
        .random(N_SUM, { chunks: CHUNK, seed: 1 })
        .compute()) as da.NdArray;
      const data = blocks.data as Float64Array;
      const loop = () => {
        let s = 0;
        for (let i = 0; i < data.length; i++) s += data[i]!;
        return s;
      };
      loop();
      r = await timed(loop, RUNS + 2);
      r.value = r.value + 0 * pairwiseSum(data, 0, 0);
      break;
    }
    default:
      throw new Error(`unknown part ${name}`);
  }
  return { part: name, scheduler, ...r, rssMb: peakRssMb() };
}

function spawnPart(name: string, scheduler: string): Result {
  const self = fileURLToPath(import.meta.url);
  const p = spawnSync(process.execPath, [self, '--part', name, scheduler], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (p.status !== 0) throw new Error(`${name} on ${scheduler} failed:\n${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').at(-1)!);
}

async function main() {
  const i = process.argv.indexOf('--part');
  if (i >= 0) {
    console.log(JSON.stringify(await part(process.argv[i + 1]!, process.argv[i + 2]!)));
    return;
  }
  const schedulers = schedulerNames().filter(
    (s) => s === 'sync' || s === 'threads' || s === 'processes',
  );
  console.log(`machine: ${machine()}; sizes x${SCALE}; medians of ${RUNS} runs`);
  const rows: { name: string; value: string }[] = [];
  const show = (r: Result, base?: Result, note = '') => {
    const m = median(r.ms);
    const vs = base
      ? `  ${(m / median(base.ms)).toFixed(2)}x ${base.scheduler === 'hand' ? 'the loop' : base.scheduler}`
      : '';
    rows.push({
      name: `${r.part} [${r.scheduler}]`,
      value: `${m.toFixed(0).padStart(6)} ms${vs}  peak RSS ${r.rssMb.toFixed(0)} MB  value ${r.value}${note}`,
    });
  };
  const hand = spawnPart('hand-mean-1e9', 'hand');
  show(hand);
  const sync = spawnPart('mean-1e9', 'sync');
  show(sync, hand, `  |rel err vs loop| ${Math.abs(sync.value / hand.value - 1).toExponential(1)}`);
  for (const s of schedulers.filter((x) => x !== 'sync')) {
    const r = spawnPart('mean-1e9', s);
    show(r, sync, `  speedup ${(median(sync.ms) / median(r.ms)).toFixed(2)}x`);
  }
  const hand8 = spawnPart('hand-mean-1e8', 'hand');
  show(hand8);
  for (const p of ['x+x.T-mean', 'sum-1e8-generated']) {
    let syncP: Result | undefined;
    for (const s of schedulers) {
      const r = spawnPart(p, s);
      show(
        r,
        hand8,
        syncP ? `  speedup ${(median(syncP.ms) / median(r.ms)).toFixed(2)}x sync` : '',
      );
      syncP ??= r;
    }
  }
  const handMem = spawnPart('hand-sum-1e8-in-memory', 'hand');
  show(handMem);
  for (const s of schedulers) show(spawnPart('sum-1e8-in-memory', s), handMem);
  report('@dusk/array', rows);
}

await main();
