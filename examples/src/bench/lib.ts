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

/**
 * Milliseconds this process's threads have so far spent runnable but waiting for a CPU
 * (Linux schedstat; NaN elsewhere). On a shared machine, a timing taken while this grows
 * measured other people's work too: report it next to parallel timings.
 */
export function cpuWaitMs(): number {
  try {
    let ns = 0;
    for (const t of readdirSync('/proc/self/task')) {
      try {
        ns += Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[1]);
      } catch {
        // the thread ended between listing and reading
      }
    }
    return ns / 1e6;
  } catch {
    return Number.NaN;
  }
}
