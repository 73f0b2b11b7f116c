/**
 * Shared helpers for benchmark scripts: micro-benchmarks through the `benchmark` package
 * (reported as medians of its samples) and whole-run timings (median of several runs),
 * with peak RSS. These machines are shared and noisy: compare ratios measured in one run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import Benchmark from 'benchmark';

export interface Timing {
  name: string;
  medianMs: number;
  runsMs: number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One line naming the machine, printed at the top of every benchmark. */
export function machine(): string {
  const c = cpus();
  return `${c.length} x ${c[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `fn` `runs` times (after `warmup` untimed runs) and returns the median. */
export async function timeRuns(
  name: string,
  fn: () => unknown,
  runs = 5,
  warmup = 1,
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    runsMs.push(performance.now() - t0);
  }
  return { name, medianMs: median(runsMs), runsMs };
}

/**
 * Micro-benchmarks with the `benchmark` package; async functions are deferred.
 * Resolves to each case's median time per call in ms.
 */
export function microBench(
  cases: Record<string, () => unknown>,
  opts: { minSamples?: number } = {},
): Promise<Timing[]> {
  return new Promise((resolve, reject) => {
    const suite = new Benchmark.Suite();
    for (const [name, fn] of Object.entries(cases)) {
      suite.add(name, {
        defer: true,
        minSamples: opts.minSamples ?? 5,
        fn: (deferred: { resolve(): void }) => {
          Promise.resolve(fn()).then(
            () => deferred.resolve(),
            (e) => reject(e),
          );
        },
      });
    }
    suite.on('complete', function (this: Benchmark.Suite) {
      const out: Timing[] = [];
      this.forEach((b: Benchmark) => {
        const sample = b.stats.sample.map((s) => s * 1000);
        out.push({ name: String(b.name), medianMs: median(sample), runsMs: sample });
      });
      resolve(out);
    });
    suite.on('error', (e: { target: { error: unknown } }) => reject(e.target.error));
    suite.run({ async: true });
  });
}

/** Prints timings as a small table. */
export function report(title: string, rows: { name: string; value: string }[]): void {
  console.log(`\n## ${title}\n`);
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.value}`);
}

/** Per thread of this process (by id): ms run on a CPU and ms waited for one (Linux schedstat). */
export function threadTimes(): Map<string, { run: number; wait: number }> {
  const out = new Map<string, { run: number; wait: number }>();
  try {
    for (const t of readdirSync('/proc/self/task')) {
      try {
        const [run, wait] = readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ');
        out.set(t, { run: Number(run) / 1e6, wait: Number(wait) / 1e6 });
      } catch {
        // the thread ended between listing and reading
      }
    }
  } catch {
    // not Linux: no figures
  }
  return out;
}

/** Where the CPU time of a timed stretch went, per run (see `cpuSplit`). */
export interface CpuSplit {
  /** ms the `workers` busiest threads waited for a CPU. */
  workerWait: number;
  /** ms those threads ran. */
  workerRun: number;
  /** ms the main thread ran (graph building, the pool's messages, the tasks it ran itself). */
  mainRun: number;
  /** ms every other thread of this process ran (V8's GC and compiler threads, libuv). */
  helperRun: number;
}

/**
 * Splits the CPU time between two `threadTimes()` snapshots, per run: how long the
 * `workers` threads that ran most (the pool's workers; none on sync) waited for a CPU, and
 * how long this process's other threads ran meanwhile. Worker waits beyond what the main
 * and helper threads ran were other programs' doing.
 */
export function cpuSplit(
  before: Map<string, { run: number; wait: number }>,
  after: Map<string, { run: number; wait: number }>,
  workers: number,
  runs: number,
): CpuSplit {
  const main = String(process.pid);
  const delta = [...after].map(([tid, t]) => {
    const b = before.get(tid) ?? { run: 0, wait: 0 };
    return { tid, run: t.run - b.run, wait: t.wait - b.wait };
  });
  const others = delta.filter((d) => d.tid !== main).sort((a, b) => b.run - a.run);
  const pool = others.slice(0, workers);
  const sum = (xs: { run: number; wait: number }[], f: 'run' | 'wait') =>
    xs.reduce((a, x) => a + x[f], 0) / runs;
  return {
    workerWait: sum(pool, 'wait'),
    workerRun: sum(pool, 'run'),
    mainRun: sum(
      delta.filter((d) => d.tid === main),
      'run',
    ),
    helperRun: sum(others.slice(workers), 'run'),
  };
}
