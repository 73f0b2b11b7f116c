/**
 * Array benchmarks (issue 3). Each measurement runs in its own child process (so its peak
 * RSS is its own) and alternates with its baseline in that process, so load on this shared
 * machine hits both alike: on sync, the baseline is a hand-written single-thread loop that
 * sums the same numbers (same xoshiro256+ streams) with the generator's own kernel; on threads and
 * processes, the baseline is sync.
 * - mean of random.random(1e9, { chunks: 1e7 }): peak RSS < 1 GB; sync within 1.3x of the
 *   loop; threads >= 1.8x faster than sync on 2 cores.
 * - (x + x.T).mean() for 10,000 x 10,000 in 1000 x 1000 blocks, and sums over 1e8
 *   elements (generated, and already in memory), reported against the same kind of loop.
 * `DUSK_BENCH_SCALE=0.01` shrinks every size for a quick check.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as da from '@dusk/array';
import { sumDoubles, xoshiro } from '@dusk/array/kernels';
import { schedulerNames } from '@dusk/scheduler';
import { machine, median, peakRssMb, report } from './lib.js';

const SCALE = Number(process.env.DUSK_BENCH_SCALE ?? 1);
const N_MEAN = Math.round(1e9 * SCALE);
const CHUNK = Math.round(1e7 * Math.min(1, SCALE * 10));
const N_SUM = Math.round(1e8 * SCALE);
const SIDE = Math.round(10_000 * Math.sqrt(SCALE));
const BLOCK = Math.max(1, Math.round(SIDE / 10));
const RUNS = 3;
const PARTS = ['mean-1e9', 'x+x.T-mean', 'sum-1e8-generated', 'sum-1e8-in-memory'];

interface Result {
  part: string;
  scheduler: string;
  /** What each run alternated with in the same process: the loop, or sync. */
  base: string;
  baseMs: number[];
  ms: number[];
  baseValue: number;
  value: number;
  rssMb: number;
  /** Peak RSS of each worker process (processes scheduler; Linux /proc). */
  childRssMb?: number[];
}

type Run = () => Promise<number> | number;

/**
 * The hand-written loop: each chunk's stream summed by the generator's own kernel in one
 * call per chunk (the wasm xoshiro256+ sum: nothing a hand-written JS loop could beat).
 */
function handMean(n: number, chunk: number, seed: number): number {
  let total = 0;
  for (let b = 0; b * chunk < n; b++)
    total += sumDoubles(xoshiro(seed, b), Math.min(chunk, n - b * chunk));
  return total / n;
}

/** The Dusk computation of a part on a scheduler, and the hand-written loop it is held against. */
async function workload(
  name: string,
  opts: { scheduler: string; workers: number },
): Promise<{ dusk: Run; hand: Run }> {
  switch (name) {
    case 'mean-1e9':
      return {
        dusk: () => da.random.random(N_MEAN, { chunks: CHUNK, seed: 1 }).mean().compute(opts),
        hand: () => handMean(N_MEAN, CHUNK, 1),
      };
    case 'x+x.T-mean': {
      const x = da.random.random([SIDE, SIDE], { chunks: BLOCK, seed: 1 });
      // The loop generates and sums as many numbers as the array has (x + x.T generates twice that).
      return {
        dusk: () => x.add(x.T).mean().compute(opts),
        hand: () => 2 * handMean(SIDE * SIDE, CHUNK, 1),
      };
    }
    case 'sum-1e8-generated':
      return {
        dusk: () => da.random.random(N_SUM, { chunks: CHUNK, seed: 1 }).sum().compute(opts),
        hand: () => handMean(N_SUM, CHUNK, 1) * N_SUM,
      };
    case 'sum-1e8-in-memory': {
      const x = await da.random.random(N_SUM, { chunks: CHUNK, seed: 1 }).persist(opts);
      const data = ((await x.compute(opts)) as da.NdArray).data as Float64Array;
      const loop = () => {
        let s = 0;
        for (let i = 0; i < data.length; i++) s += data[i]!;
        return s;
      };
      return { dusk: () => x.sum().compute(opts), hand: loop };
    }
    default:
      throw new Error(`unknown part ${name}`);
  }
}

/** Runs `base` and `fn` alternately (after one untimed run of each). */
async function paired(
  base: Run,
  fn: Run,
): Promise<Pick<Result, 'baseMs' | 'ms' | 'baseValue' | 'value'>> {
  const baseMs: number[] = [];
  const ms: number[] = [];
  let baseValue = await base();
  let value = await fn();
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    baseValue = await base();
    baseMs.push(performance.now() - t0);
    t0 = performance.now();
    value = await fn();
    ms.push(performance.now() - t0);
  }
  return { baseMs, ms, baseValue, value };
}

/** Peak RSS (VmHWM) of this process's live child processes, in MB; empty where /proc is absent. */
function childPeakRssMb(): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
      if (hwm) out.push(Number(hwm[1]) / 1024);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return out;
}

/** One measurement, in this (child) process. */
async function part(name: string, scheduler: string): Promise<Result> {
  const opts = { scheduler, workers: 2 };
  // Start the pool and JIT-compile the kernels before anything is timed.
  await da.random.random(4e6, { chunks: 1e6, seed: 9 }).add(1).mean().compute(opts);
  const w = await workload(name, opts);
  if (scheduler === 'sync')
    return {
      part: name,
      scheduler,
      base: 'the loop',
      ...(await paired(w.hand, w.dusk)),
      rssMb: peakRssMb(),
    };
  const sync = await workload(name, { scheduler: 'sync', workers: 1 });
  const r = await paired(sync.dusk, w.dusk);
  return {
    part: name,
    scheduler,
    base: 'sync',
    ...r,
    rssMb: peakRssMb(),
    childRssMb: childPeakRssMb(),
  };
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

function row(r: Result): { name: string; value: string } {
  const m = median(r.ms);
  const b = median(r.baseMs);
  const ratio =
    r.base === 'sync'
      ? `${(b / m).toFixed(2)}x faster than sync`
      : `${(m / b).toFixed(2)}x the loop`;
  const diff = Math.abs(r.value / r.baseValue - 1).toExponential(1);
  const workers = r.childRssMb?.length
    ? ` (+ workers ${r.childRssMb.map((x) => x.toFixed(0)).join(', ')} MB)`
    : '';
  return {
    name: `${r.part} [${r.scheduler}]`,
    value: `${m.toFixed(0).padStart(6)} ms vs ${r.base} ${b.toFixed(0)} ms: ${ratio}; peak RSS ${r.rssMb.toFixed(0)} MB${workers}; result ${r.value} (rel. diff ${diff})`,
  };
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
  console.log(`machine: ${machine()}; sizes x${SCALE}; medians of ${RUNS} alternating runs`);
  const rows = PARTS.flatMap((p) => schedulers.map((s) => row(spawnPart(p, s))));
  report('@dusk/array', rows);
}

await main();
