/**
 * Dataframe benchmarks (issues 4 and 7): the e-commerce notebook's operations on 50M rows in
 * 50 partitions (generated in parallel per partition from seeded streams, then persisted with
 * total_sales materialised, as the notebook does), against hand-written single-pass
 * typed-array loops over the same persisted partition arrays: mean(total_sales), max(price),
 * min(price), groupby(category).total_sales.sum(), nlargest(5, 'total_sales'). Each
 * scheduler runs in its own child process (so its peak RSS is its own), reported next to the
 * size of the input columns. Besides wall time, each op reports its kernel busy time: the
 * sum of the tasks' own times per worker (what the kernels cost, without the scheduler's
 * messages). A last child process alternates sync and threads op by op over one persisted
 * frame and reports medians of per-round ratios (`interleaved`), with each op's four-lane
 * bare loop on 1 and 2 worker threads in the same rounds (the ratio the machine allows) and
 * Dusk's own sync scheduler on 1 and 2 plain threads over half the rows each (the ratio
 * Dusk's kernels reach when no pool schedules them).
 * Another (`fixedCost`) runs the same graphs over 50 partitions of 64K rows and reports
 * each scheduler's CPU time per compute: what threads spends on every compute beyond sync.
 * Targets: groupby-sum and nlargest(5) <= 100 ms on threads; each op within 1.5x of the
 * loop per core; threads >= 1.8x sync on 2 cores; peak RSS <= 1.5x the input.
 * Run alone: `flock /tmp/dusk-bench.lock npm run bench dataframe`; `DUSK_BENCH_SCALE=0.02`
 * shrinks the rows for a quick check. Warm-up (every op in turn before any is timed, as a
 * long-lived process is warm): `DUSK_BENCH_WARMUP=N` runs of each op in the per-scheduler
 * parts, `DUSK_BENCH_SHARED_WARMUP=N` rounds of sync and threads in the interleaved part
 * (its first 10 timed apart), `DUSK_BENCH_INTERLEAVED_WARMUP=N` rounds of an op's own arms.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import * as da from '@dusk/array';
import { isShared } from '@dusk/core';
import { type DataFrame, fromArrays } from '@dusk/dataframe';
import { closePools, schedulerNames } from '@dusk/scheduler';
import type * as A from 'apache-arrow';
import { type CpuSplit, cpuSplit, machine, median, peakRssMb, report, threadTimes } from './lib.js';

const SCALE = Number(process.env.DUSK_BENCH_SCALE ?? 1);
const ROWS = Math.round(50_000_000 * SCALE);
const PARTITIONS = 50;
const RUNS = Number(process.env.DUSK_BENCH_RUNS ?? 7);
const CATEGORIES = ['Electronics', 'Clothing', 'Books', 'Toys', 'Home'];
const OPS = [
  'mean(total_sales)',
  'max(price)',
  'min(price)',
  'groupby(category).sum',
  'nlargest(5)',
] as const;
type Op = (typeof OPS)[number];

interface Result {
  scheduler: string;
  ms: Record<string, number[]>;
  /** Per timed run: the largest sum of task times on one worker. */
  busyMs: Record<string, number[]>;
  /** Per op, per timed run: how long the workers waited for a CPU, and who else ran. */
  cpu: Record<string, CpuSplit>;
  values: Record<string, string>;
  inputMb: number;
  rssMb: number;
  generateMs: number;
}

/** The notebook's data: one partition per chunk of seeded random arrays (seed 42). */
export function ecommerce(rows: number, partitions: number): DataFrame {
  const chunks = Math.ceil(rows / partitions);
  const df = fromArrays(
    {
      product_id: da.arange(rows, { chunks }),
      category: da.random.randint(0, 5, { size: rows, chunks, seed: 42 }),
      price: da.random.uniform(5, 500, { size: rows, chunks, seed: 43 }),
      units_sold: da.random.randint(1, 50, { size: rows, chunks, seed: 44 }),
    },
    { categories: { category: CATEGORIES } },
  );
  return df.assign({ total_sales: df.col('price').mul(df.col('units_sold')) });
}

interface OpOptions {
  scheduler: string;
  workers: number;
  onProgress?: (p: { ms?: number; worker?: string }) => void;
  [option: string]: unknown;
}

function op(df: DataFrame, name: Op, opts: OpOptions): Promise<unknown> {
  switch (name) {
    case 'mean(total_sales)':
      return df.col('total_sales').mean().compute(opts);
    case 'max(price)':
      return df.col('price').max().compute(opts);
    case 'min(price)':
      return df.col('price').min().compute(opts);
    case 'groupby(category).sum':
      return df.groupby('category').col('total_sales').sum().compute(opts);
    case 'nlargest(5)':
      return df.nlargest(5, 'total_sales').select(['product_id', 'total_sales']).compute(opts);
  }
}

interface Columns {
  pid: Int32Array[];
  cat: Int8Array[];
  price: Float64Array[];
  sales: Float64Array[];
}

function columnsOf(tables: A.Table[]): Columns {
  const get = (t: A.Table, c: string) => t.getChild(c)!.data[0]!.values as any;
  return {
    pid: tables.map((t) => get(t, 'product_id')),
    cat: tables.map((t) => get(t, 'category')),
    price: tables.map((t) => get(t, 'price')),
    sales: tables.map((t) => get(t, 'total_sales')),
  };
}

// The hand loops: the plain loop a person would write, one function per partition called
// once per partition (as the kernels are), so V8 compiles them as whole functions rather
// than running them as on-stack-replacement code inside a long outer loop.

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
function maxOf(a: Float64Array, m: number): number {
  for (let i = 0; i < a.length; i++) m = a[i]! > m ? a[i]! : m;
  return m;
}
function minOf(a: Float64Array, m: number): number {
  for (let i = 0; i < a.length; i++) m = a[i]! < m ? a[i]! : m;
  return m;
}
function groupSum(k: Int8Array, a: Float64Array, acc: Float64Array): void {
  for (let i = 0; i < a.length; i++) acc[k[i]!]! += a[i]!;
}
/** Keeps the 5 largest in `top` (descending), ids alongside; earlier rows win ties. */
function top5(a: Float64Array, id: Int32Array, top: Float64Array, ids: Int32Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v > top[4]!) {
      let j = 4;
      while (j > 0 && v > top[j - 1]!) {
        top[j] = top[j - 1]!;
        ids[j] = ids[j - 1]!;
        j--;
      }
      top[j] = v;
      ids[j] = id[i]!;
    }
  }
}

/** Category sums as `show` writes a groupby result: sorted `name=sum` pairs. */
function groupLine(sums: ArrayLike<number>): string {
  return CATEGORIES.map((name, k) => `${name}=${sums[k]!.toExponential(6)}`)
    .sort()
    .join(' ');
}

/** Hand-written single-pass loops over the partition arrays (one core). */
function hand(c: Columns, name: Op): unknown {
  const P = c.price.length;
  switch (name) {
    case 'mean(total_sales)': {
      let s = 0;
      let n = 0;
      for (let p = 0; p < P; p++) {
        s += sumOf(c.sales[p]!);
        n += c.sales[p]!.length;
      }
      return s / n;
    }
    case 'max(price)': {
      let m = -Infinity;
      for (let p = 0; p < P; p++) m = maxOf(c.price[p]!, m);
      return m;
    }
    case 'min(price)': {
      let m = Infinity;
      for (let p = 0; p < P; p++) m = minOf(c.price[p]!, m);
      return m;
    }
    case 'groupby(category).sum': {
      const acc = new Float64Array(CATEGORIES.length);
      for (let p = 0; p < P; p++) groupSum(c.cat[p]!, c.sales[p]!, acc);
      return groupLine(acc);
    }
    case 'nlargest(5)': {
      const top = new Float64Array(5).fill(-Infinity);
      const ids = new Int32Array(5);
      for (let p = 0; p < P; p++) top5(c.sales[p]!, c.pid[p]!, top, ids);
      return Array.from(ids).join(' ');
    }
  }
}

/**
 * Untimed runs before the timed ones: JIT tiers, pools and first-touch memory settle.
 * V8 keeps compiling for dozens of computes (README, dataframe benchmarks), so the
 * figures are what a long-lived process gets; `DUSK_BENCH_WARMUP=3` shows a young one.
 */
const WARMUP_RUNS = Number(process.env.DUSK_BENCH_WARMUP ?? 30);
/**
 * Untimed runs of an op right before its timed ones, after every op's `WARMUP_RUNS` in
 * turn: warming each op up only before its own timing left the first op measured while
 * the pool's and the graph's code were still compiling, which the later ops were not.
 */
const OWN_WARMUP_RUNS = Math.min(3, WARMUP_RUNS);

/** Times `f` (after warm-up runs); `workers` threads of this process run its kernels. */
async function timed(
  f: () => unknown,
  workers: number,
  runs = RUNS,
): Promise<{ ms: number[]; value: unknown; cpu: CpuSplit }> {
  let value: unknown;
  for (let i = 0; i < OWN_WARMUP_RUNS; i++) value = await f();
  const ms: number[] = [];
  const before = threadTimes();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await f();
    ms.push(performance.now() - t0);
  }
  return { ms, value, cpu: cpuSplit(before, threadTimes(), workers, runs) };
}

/**
 * A result in one comparable form: numbers to 6 decimals, a groupby table as
 * `key=sum` pairs, an nlargest table as its product ids (the hand loops return the same).
 */
function show(v: unknown): string {
  if (typeof v === 'number') return v.toFixed(6);
  const t = v as { toRecords?: () => Record<string, unknown>[] };
  if (!t?.toRecords) return String(v);
  return t
    .toRecords()
    .map((r) =>
      'category' in r
        ? `${r.category}=${(r.total_sales as number).toExponential(6)}`
        : String(r.product_id),
    )
    .join(' ');
}

/**
 * The bare loops the ceilings run on worker threads, one per kind: `sum` is the plain hand
 * loop; the others keep four lanes, as Dusk's kernels do, so they are about as fast per
 * core as Dusk's sync kernels (the benchmark prints both, to check). Each worker answers
 * with its partial: [sum, rows] for sums, the extreme for max/min, the per-lane group sums
 * for groupby, and its top five (values, then ids) for nlargest.
 */
const BARE_LOOPS = `const { parentPort } = require('node:worker_threads');
function sumOf(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
function sumOf4(a) {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (let i = n; i < a.length; i++) s0 += a[i];
  return s0 + s1 + (s2 + s3);
}
function maxOf4(a) {
  let m0 = -Infinity, m1 = m0, m2 = m0, m3 = m0;
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    const v0 = a[i], v1 = a[i + 1], v2 = a[i + 2], v3 = a[i + 3];
    m0 = v0 > m0 ? v0 : m0;
    m1 = v1 > m1 ? v1 : m1;
    m2 = v2 > m2 ? v2 : m2;
    m3 = v3 > m3 ? v3 : m3;
  }
  for (let i = n; i < a.length; i++) m0 = a[i] > m0 ? a[i] : m0;
  return Math.max(m0, m1, m2, m3);
}
function minOf4(a) {
  let m0 = Infinity, m1 = m0, m2 = m0, m3 = m0;
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    const v0 = a[i], v1 = a[i + 1], v2 = a[i + 2], v3 = a[i + 3];
    m0 = v0 < m0 ? v0 : m0;
    m1 = v1 < m1 ? v1 : m1;
    m2 = v2 < m2 ? v2 : m2;
    m3 = v3 < m3 ? v3 : m3;
  }
  for (let i = n; i < a.length; i++) m0 = a[i] < m0 ? a[i] : m0;
  return Math.min(m0, m1, m2, m3);
}
// Groupby-sum by a dictionary code with one copy of the sums per lane, as Dusk's laned
// groupby loop keeps them (G groups, lane k at [k * G, (k + 1) * G)).
function groupSum4(k, a, acc, G) {
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    acc[k[i]] += a[i];
    acc[k[i + 1] + G] += a[i + 1];
    acc[k[i + 2] + 2 * G] += a[i + 2];
    acc[k[i + 3] + 3 * G] += a[i + 3];
  }
  for (let i = n; i < a.length; i++) acc[k[i]] += a[i];
}
// The five largest, descending, ids alongside (earlier rows win ties): four rows are
// tested against the fifth largest at once, and only a row above it is inserted.
function insert(v, id, top, ids) {
  let j = top.length - 1;
  while (j > 0 && v > top[j - 1]) {
    top[j] = top[j - 1];
    ids[j] = ids[j - 1];
    j--;
  }
  top[j] = v;
  ids[j] = id;
}
function top5Of4(a, pid, top, ids) {
  const last = top.length - 1;
  let floor = top[last];
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    if (a[i] > floor || a[i + 1] > floor || a[i + 2] > floor || a[i + 3] > floor) {
      for (let j = i; j < i + 4; j++) if (a[j] > top[last]) insert(a[j], pid[j], top, ids);
      floor = top[last];
    }
  }
  for (let i = n; i < a.length; i++) if (a[i] > top[last]) insert(a[i], pid[i], top, ids);
}
/** A worker's partial of the bare loop of kind over its partitions. */
function partial(kind, parts, aux, groups) {
  if (kind === 'group4') {
    const acc = new Float64Array(4 * groups);
    for (let p = 0; p < parts.length; p++) groupSum4(aux[p], parts[p], acc, groups);
    return Array.from(acc);
  }
  if (kind === 'top4') {
    const top = new Float64Array(5).fill(-Infinity);
    const ids = new Int32Array(5);
    for (let p = 0; p < parts.length; p++) top5Of4(parts[p], aux[p], top, ids);
    return [...top, ...ids];
  }
  if (kind === 'max4' || kind === 'min4') {
    let m = kind === 'max4' ? -Infinity : Infinity;
    for (const a of parts) m = kind === 'max4' ? Math.max(m, maxOf4(a)) : Math.min(m, minOf4(a));
    return [m];
  }
  let s = 0;
  let n = 0;
  for (const a of parts) {
    s += kind === 'sum4' ? sumOf4(a) : sumOf(a);
    n += a.length;
  }
  return [s, n];
}
// Each loop first runs 3000 times over 4096 rows of the arrays it is given, so V8 optimizes
// it from ordinary calls, as it does Dusk's kernels (they run in blocks of at most 16K rows,
// the first calls 2048 or fewer). Optimized on the stack (OSR) inside its first 1M-row call
// instead, the same loop came out at either of two speeds, one per process: maxOf4 took 22
// ms per 50M rows in some processes and 38-39 ms in others (session 20), which made the
// ceiling a slower loop's.
const warmed = new Set();
function warm(kind, parts, aux, groups) {
  if (warmed.has(kind) || parts.length === 0) return;
  warmed.add(kind);
  const head = (xs) => xs && [xs[0].subarray(0, 4096)];
  const [p, x] = [head(parts), head(aux)];
  for (let r = 0; r < 3000; r++) partial(kind, p, x, groups);
}
parentPort.on('message', ({ kind, parts, aux, groups }) => {
  warm(kind, parts, aux, groups);
  parentPort.postMessage(partial(kind, parts, aux, groups));
});`;

/** The bare loops (see BARE_LOOPS): the plain mean loop, and the four-lane ones. */
type BareKind = 'sum' | 'sum4' | 'max4' | 'min4' | 'group4' | 'top4';

/** Each op's four-lane bare loop: the ceiling it is set against. */
const BARE_OF: Record<Op, BareKind> = {
  'mean(total_sales)': 'sum4',
  'max(price)': 'max4',
  'min(price)': 'min4',
  'groupby(category).sum': 'group4',
  'nlargest(5)': 'top4',
};

/** Joins the workers' partials of a bare loop into the op's value (compared with Dusk's). */
function joinBare(kind: BareKind, parts: number[][]): unknown {
  switch (kind) {
    case 'max4':
      return Math.max(...parts.map((p) => p[0]!));
    case 'min4':
      return Math.min(...parts.map((p) => p[0]!));
    case 'group4': {
      const g = CATEGORIES.length;
      const sums = CATEGORIES.map((_, k) =>
        parts.reduce((a, p) => a + p[k]! + p[k + g]! + (p[k + 2 * g]! + p[k + 3 * g]!), 0),
      );
      return groupLine(sums);
    }
    case 'top4': {
      // Workers hold consecutive partitions in order: on ties the earlier worker wins.
      const all = parts.flatMap((p) => [0, 1, 2, 3, 4].map((j) => [p[j]!, p[j + 5]!]));
      const best = all.map((x, i) => [...x, i]).sort((a, b) => b[0]! - a[0]! || a[2]! - b[2]!);
      return best
        .slice(0, 5)
        .map((x) => x[1])
        .join(' ');
    }
    default:
      return parts.reduce((a, p) => a + p[0]!, 0) / parts.reduce((a, p) => a + p[1]!, 0);
  }
}

/**
 * The machine's ceiling on worker threads: a bare loop of `kind` over the persisted arrays
 * on shared memory (posted without a copy), the partitions split over `threads` worker
 * threads in consecutive halves (`once` runs it once and returns the op's value).
 */
function threadLoop(c: Columns, threads: number, kind: BareKind) {
  // Posted without a copy: on shared memory (a small run's arrays may not be; copied once).
  const shared = <T extends Int8Array | Int32Array | Float64Array>(a: T): T => {
    if (isShared(a)) return a;
    const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(
      new SharedArrayBuffer(a.byteLength),
    );
    out.set(a as any);
    return out;
  };
  const values = kind === 'max4' || kind === 'min4' ? c.price : c.sales;
  const aux = kind === 'group4' ? c.cat : kind === 'top4' ? c.pid : undefined;
  const parts = values.map(shared);
  const auxParts = aux?.map(shared);
  const workers = Array.from({ length: threads }, () => new Worker(BARE_LOOPS, { eval: true }));
  const share = Math.ceil(parts.length / threads);
  const once = async () => {
    const got = await Promise.all(
      workers.map((w, k) => {
        const at = [k * share, (k + 1) * share] as const;
        return reply<number[]>(w, {
          kind,
          parts: parts.slice(...at),
          aux: auxParts?.slice(...at),
          groups: CATEGORIES.length,
        });
      }),
    );
    return joinBare(kind, got);
  };
  return { once, close: () => Promise.all(workers.map((w) => w.terminate())) };
}

/** A `threadLoop`, warmed up and timed like every other timing. */
async function handOnThreads(
  c: Columns,
  threads: number,
  kind: BareKind,
): Promise<Awaited<ReturnType<typeof timed>>> {
  const loop = threadLoop(c, threads, kind);
  const r = await timed(loop.once, threads);
  await loop.close();
  return r;
}

/**
 * Dusk's own sync scheduler on `threads` plain worker threads, each over a frame of its own
 * with 1/threads of the rows and partitions (same generator; no pool, no messages while it
 * runs): how far Dusk's kernels scale when nothing schedules them (`once` runs the op on
 * every thread at once). Timing only: each thread's answer is of its own rows.
 */
async function staticSplit(threads: number) {
  const self = fileURLToPath(import.meta.url);
  const rows = Math.round(ROWS / threads);
  const workers = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<Worker>((resolve, reject) => {
          const w = new Worker(self, {
            argv: ['--part', 'split-worker'],
            workerData: { rows, partitions: PARTITIONS / threads },
          });
          w.once('message', () => resolve(w));
          w.once('error', reject);
        }),
    ),
  );
  const once = (name: Op) => Promise.all(workers.map((w) => reply(w, name)));
  return { once, close: () => Promise.all(workers.map((w) => w.terminate())) };
}

/** Posts `msg` to a bench thread and resolves with its answer; its failure fails the bench. */
function reply<T>(w: Worker, msg: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // A failure ends the thread: reject instead of waiting for an answer that never comes.
    const failed = (e: Error) => reject(e);
    w.once('error', failed);
    w.once('message', (m: T) => {
      w.off('error', failed);
      resolve(m);
    });
    w.postMessage(msg);
  });
}

/** Inside a `staticSplit` thread: its frame, persisted on sync; then an op per message. */
async function splitWorker(): Promise<void> {
  const { rows, partitions } = workerData as { rows: number; partitions: number };
  const sync = { scheduler: 'sync', workers: 1 };
  const data = await ecommerce(rows, partitions).persist(sync);
  parentPort!.on('message', async (name: Op) => {
    await op(data, name, sync);
    parentPort!.postMessage(0);
  });
  parentPort!.postMessage('ready');
}

/** The ceiling runs: label, worker threads, bare loop. */
const CEILINGS: [string, number, BareKind][] = [
  ['mean(total_sales) on 2 threads', 2, 'sum'],
  ['mean(total_sales) unrolled on 1 thread', 1, 'sum4'],
  ['mean(total_sales) unrolled on 2 threads', 2, 'sum4'],
  ['groupby unrolled on 1 thread', 1, 'group4'],
  ['groupby unrolled on 2 threads', 2, 'group4'],
];

/**
 * Worker threads of this process, besides the caller's own, that run a compute of Dusk's
 * kernels on `opts`: none on sync (and on processes, whose workers are other processes);
 * on threads the caller's thread is one of the `workers` (README, Schedulers).
 */
function workerThreads(opts: OpOptions): number {
  return opts.scheduler === 'threads' ? opts.workers - 1 : 0;
}

/** Runs `f` with a progress callback; returns the largest per-worker sum of task times. */
async function withBusy(f: (onProgress: OpOptions['onProgress']) => Promise<unknown>) {
  const byWorker = new Map<string, number>();
  const value = await f((p) => {
    if (p.ms === undefined) return;
    const w = p.worker ?? 'main';
    byWorker.set(w, (byWorker.get(w) ?? 0) + p.ms);
  });
  return { value, busy: Math.max(0, ...byWorker.values()) };
}

/** One scheduler (or 'hand'), in this child process. */
async function part(scheduler: string): Promise<Result> {
  const opts = { scheduler: scheduler === 'hand' ? 'threads' : scheduler, workers: 2 };
  const t0 = performance.now();
  const data = await ecommerce(ROWS, PARTITIONS).persist(opts);
  const generateMs = performance.now() - t0;
  const tables = (data.plan as any).source.tables as A.Table[];
  const inputMb =
    tables.reduce(
      (a, t) =>
        a +
        t.data.reduce(
          (b, d) =>
            b + d.children.reduce((x, c) => x + (c.values as ArrayBufferView).byteLength, 0),
          0,
        ),
      0,
    ) /
    2 ** 20;
  const ms: Record<string, number[]> = {};
  const busyMs: Record<string, number[]> = {};
  const cpu: Record<string, CpuSplit> = {};
  const values: Record<string, string> = {};
  const cols = columnsOf(tables);
  if (scheduler === 'hand') {
    // The machine's ceiling for threads: mean loops split over worker threads.
    for (const [label, threads, kind] of CEILINGS) {
      const r = await handOnThreads(cols, threads, kind);
      ms[label] = r.ms;
      cpu[label] = r.cpu;
      values[label] = show(r.value);
    }
  }
  const busy: Record<string, number[]> = {};
  const once = async (name: Op) => {
    if (scheduler === 'hand') return hand(cols, name);
    const b = await withBusy((onProgress) => op(data, name, { ...opts, onProgress }));
    busy[name]!.push(b.busy);
    return b.value;
  };
  for (const name of OPS) busy[name] = [];
  for (let i = 0; i < WARMUP_RUNS; i++) for (const name of OPS) await once(name);
  for (const name of OPS) {
    busy[name] = [];
    const r = await timed(() => once(name), scheduler === 'hand' ? 0 : workerThreads(opts));
    ms[name] = r.ms;
    busyMs[name] = busy[name]!.slice(OWN_WARMUP_RUNS);
    cpu[name] = r.cpu;
    values[name] = show(r.value);
  }
  await closePools();
  return { scheduler, ms, busyMs, cpu, values, inputMb, rssMb: peakRssMb(), generateMs };
}

/** Per-round times of the interleaved part (see `interleaved`), by op. */
interface Interleaved {
  sync: Record<string, number[]>;
  threads: Record<string, number[]>;
  /** The op's four-lane bare loop on 1 and on 2 worker threads, in the same rounds. */
  bare1: Record<string, number[]>;
  bare2: Record<string, number[]>;
  /** Whether the bare loop's value was Dusk's (so the two did the same work). */
  bareSame: Record<string, boolean>;
  /** Dusk's sync scheduler on 1 and on 2 plain threads, a static split (`staticSplit`). */
  split1: Record<string, number[]>;
  split2: Record<string, number[]>;
  /** Sync and threads in the process's first `COLD_ROUNDS` rounds (V8 still compiling). */
  coldSync: Record<string, number[]>;
  coldThreads: Record<string, number[]>;
  /** CPU-ms V8's and libuv's threads ran during each threads compute: cold, then timed. */
  coldHelperMs: Record<string, number[]>;
  helperMs: Record<string, number[]>;
}

/** The timed arms of an interleaved round. */
type Arm = 'sync' | 'threads' | 'bare1' | 'bare2' | 'split1' | 'split2';

/**
 * Sync and threads alternating, op by op, in one process over one persisted frame (thread
 * results are on shared memory, so sync reads the same partitions): a ratio of two
 * neighbouring runs does not move with the machine's drift over seconds, which moves
 * medians taken minutes apart in different processes. Each round also runs the op's
 * four-lane bare loop on 1 and on 2 worker threads: the ratio the machine gave a loop
 * with no scheduler at all, in the same seconds.
 */
async function interleaved(): Promise<Interleaved> {
  const threads = { scheduler: 'threads', workers: 2 };
  const sync = { scheduler: 'sync', workers: 2 };
  const data = await ecommerce(ROWS, PARTITIONS).persist(threads);
  const cols = columnsOf((data.plan as any).source.tables as A.Table[]);
  const out: Interleaved = {
    sync: {},
    threads: {},
    bare1: {},
    bare2: {},
    bareSame: {},
    split1: {},
    split2: {},
    coldSync: {},
    coldThreads: {},
    coldHelperMs: {},
    helperMs: {},
  };
  const [split1, split2] = [await staticSplit(1), await staticSplit(2)];
  const time = async (f: () => unknown) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  // V8's and libuv's threads during a threads compute: all but the caller's and the pool
  // worker's (the bare-loop and split threads idle meanwhile). Read outside the timing.
  const helpers = async (f: () => unknown) => {
    const before = threadTimes();
    const ms = await time(f);
    return { ms, helper: cpuSplit(before, threadTimes(), workerThreads(threads), 1).helperRun };
  };
  // Every op young and in turn: the first COLD_ROUNDS rounds timed, the rest untimed, so no
  // op is timed while the pool's and the graph's code still compile and another's is not.
  for (const k of ['coldSync', 'coldThreads', 'coldHelperMs', 'helperMs'] as const)
    for (const name of OPS) out[k][name] = [];
  for (let i = 0; i < SHARED_WARMUP; i++)
    for (const name of OPS) {
      const [s, h] = [
        await time(() => op(data, name, sync)),
        await helpers(() => op(data, name, threads)),
      ];
      if (i >= COLD_ROUNDS) continue;
      out.coldSync[name]!.push(s);
      out.coldThreads[name]!.push(h.ms);
      out.coldHelperMs[name]!.push(h.helper);
    }
  for (const name of OPS) {
    const bare1 = threadLoop(cols, 1, BARE_OF[name]);
    const bare2 = threadLoop(cols, 2, BARE_OF[name]);
    const arms: [Arm, () => unknown][] = [
      ['sync', () => op(data, name, sync)],
      ['threads', () => op(data, name, threads)],
      ['bare1', bare1.once],
      ['bare2', bare2.once],
      ['split1', () => split1.once(name)],
      ['split2', () => split2.once(name)],
    ];
    for (const [arm] of arms) out[arm][name] = [];
    const dusk = show(await op(data, name, threads));
    out.bareSame[name] = show(await bare1.once()) === dusk && show(await bare2.once()) === dusk;
    for (let i = 0; i < INTERLEAVED_WARMUP; i++) for (const [, f] of arms) await f();
    for (let i = 0; i < INTERLEAVED_ROUNDS; i++)
      for (const [arm, f] of arms) {
        if (arm !== 'threads') out[arm][name]!.push(await time(f));
        else {
          const h = await helpers(f);
          out.threads[name]!.push(h.ms);
          out.helperMs[name]!.push(h.helper);
        }
      }
    await Promise.all([bare1.close(), bare2.close()]);
  }
  await Promise.all([split1.close(), split2.close()]);
  await closePools();
  return out;
}

/** Per op: CPU-ms a compute on each scheduler over the small frame (see `fixedCost`). */
interface FixedCost {
  sync: Record<string, number>;
  threadsMain: Record<string, number>;
  threadsWorkers: Record<string, number>;
  threadsHelpers: Record<string, number>;
}

/** Rows of a partition in the fixed-cost part: 64 KB of int8, shared memory (core's alloc). */
const FIXED_PARTITION_ROWS = 65536;

/** Computes per scheduler and op in the fixed-cost part, after as many warm-ups. */
const FIXED_RUNS = Number(process.env.DUSK_BENCH_FIXED_RUNS ?? 200);

/**
 * What a compute costs beyond its kernels, in CPU time (which the machine's noise moves
 * far less than wall time): the same graphs over a frame of 50 partitions of 64K rows
 * (~6 ms of kernels on sync), each thread's CPU from /proc per compute. What threads
 * spends beyond sync is its messages and bookkeeping, which every compute of the big frame
 * pays too (with two workers on two cores, half of it is wall time), plus its kernels'
 * slowdown while both workers share the memory system. Partitions this size are the smallest
 * whose every column (the int8 category too) is on shared memory, as the big frame's are,
 * so workers keep them between computes; smaller ones travel with every compute.
 */
async function fixedCost(): Promise<FixedCost> {
  const threads = { scheduler: 'threads', workers: 2 };
  const sync = { scheduler: 'sync', workers: 2 };
  const rows = Math.min(ROWS, PARTITIONS * FIXED_PARTITION_ROWS);
  const data = await ecommerce(rows, PARTITIONS).persist(threads);
  const out: FixedCost = { sync: {}, threadsMain: {}, threadsWorkers: {}, threadsHelpers: {} };
  const cpuOf = async (opts: OpOptions, name: Op) => {
    const before = threadTimes();
    for (let i = 0; i < FIXED_RUNS; i++) await op(data, name, opts);
    return cpuSplit(before, threadTimes(), workerThreads(opts), FIXED_RUNS);
  };
  for (const name of OPS) {
    for (let i = 0; i < FIXED_RUNS; i++) {
      await op(data, name, sync);
      await op(data, name, threads);
    }
    const s = await cpuOf(sync, name);
    out.sync[name] = s.mainRun + s.workerRun + s.helperRun;
    const t = await cpuOf(threads, name);
    out.threadsMain[name] = t.mainRun;
    out.threadsWorkers[name] = t.workerRun;
    out.threadsHelpers[name] = t.helperRun;
  }
  await closePools();
  return out;
}

/** Rounds of the interleaved part. */
const INTERLEAVED_ROUNDS = Number(process.env.DUSK_BENCH_ROUNDS ?? 15);
/**
 * Rounds of sync and threads for every op in turn before any op is timed. V8 compiles
 * Dusk's per-compute code (graph building, the pool, the kernels' drivers) for dozens of
 * computes, on its helper threads: on sync they run on the idle second core for free, on
 * threads they take a core from a worker (README, dataframe benchmarks, "Session 12"). A
 * long-lived process is past that; the first `COLD_ROUNDS` are timed and reported apart.
 */
const SHARED_WARMUP = Number(process.env.DUSK_BENCH_SHARED_WARMUP ?? 30);
const COLD_ROUNDS = Math.min(10, SHARED_WARMUP);
/** Untimed rounds of every arm (the bare loops' and the split's threads too), per op. */
const INTERLEAVED_WARMUP = Number(process.env.DUSK_BENCH_INTERLEAVED_WARMUP ?? 20);

/** Median of the per-round ratios a[i] / b[i]. */
function ratioOf(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}

function spawnPart(scheduler: string): Result {
  const self = fileURLToPath(import.meta.url);
  const p = spawnSync(process.execPath, [self, '--part', scheduler], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (p.status !== 0) throw new Error(`dataframe bench on ${scheduler} failed:\n${p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').at(-1)!);
}

async function main() {
  // The last: a thread's argv (staticSplit) is appended to its parent process's.
  const i = process.argv.lastIndexOf('--part');
  if (i >= 0) {
    const which = process.argv[i + 1]!;
    if (which === 'split-worker') return splitWorker();
    const result =
      which === 'interleaved'
        ? await interleaved()
        : which === 'fixed'
          ? await fixedCost()
          : await part(which);
    console.log(JSON.stringify(result));
    return;
  }
  console.log(
    `machine: ${machine()}; ${ROWS} rows in ${PARTITIONS} partitions; medians of ${RUNS} runs after ${WARMUP_RUNS} warm-up runs of every op in turn and ${OWN_WARMUP_RUNS} of the op`,
  );
  const schedulers = ['sync', ...schedulerNames().filter((s) => s === 'threads')];
  const handR = spawnPart('hand');
  const results = schedulers.map(spawnPart);
  const inter = schedulers.includes('threads')
    ? (spawnPart('interleaved') as unknown as Interleaved)
    : undefined;
  const fixed = schedulers.includes('threads')
    ? (spawnPart('fixed') as unknown as FixedCost)
    : undefined;
  const rows: { name: string; value: string }[] = [];
  // Where a parallel run's CPU went, per run: with 2 workers on 2 cores, every ms the main
  // thread or V8's own threads run is a ms some worker waits; waits beyond that were other
  // programs on the machine.
  const wait = (c: CpuSplit | undefined) =>
    c && c.workerWait >= 1
      ? `  (workers waited ${c.workerWait.toFixed(0)} ms/run for a CPU; main thread ran ${c.mainRun.toFixed(0)} ms, V8/libuv threads ${c.helperRun.toFixed(0)} ms)`
      : '';
  for (const name of OPS) {
    const h = median(handR.ms[name]!);
    rows.push({
      name: `${name} [hand loop, 1 core]`,
      value: `${h.toFixed(1).padStart(7)} ms  ${handR.values[name]}`,
    });
    const sync = results[0]!;
    for (const r of results) {
      const m = median(r.ms[name]!);
      const perCore = r.scheduler === 'threads' ? m * 2 : m;
      const speed =
        r.scheduler === 'sync' ? '' : `  ${(median(sync.ms[name]!) / m).toFixed(2)}x sync`;
      const same = r.values[name] === handR.values[name] ? 'same result' : r.values[name];
      rows.push({
        name: `${name} [${r.scheduler}]`,
        value: `${m.toFixed(1).padStart(7)} ms  ${(perCore / h).toFixed(2)}x the loop per core${speed}  busy ${median(r.busyMs[name]!).toFixed(1)} ms/worker  ${same}${wait(r.cpu[name])}`,
      });
    }
  }
  const two = handR.ms['mean(total_sales) on 2 threads'];
  if (two) {
    const one = median(handR.ms['mean(total_sales)']!);
    rows.push({
      name: 'mean(total_sales) [hand loop, 2 threads]',
      value: `${median(two).toFixed(1).padStart(7)} ms  ${(one / median(two)).toFixed(2)}x the 1-core loop (a plain loop, slower per core than Dusk's: see the 4-lane rows)${wait(handR.cpu['mean(total_sales) on 2 threads'])}`,
    });
  }
  const u1 = handR.ms['mean(total_sales) unrolled on 1 thread'];
  const u2 = handR.ms['mean(total_sales) unrolled on 2 threads'];
  if (u1 && u2) {
    rows.push({
      name: 'mean(total_sales) [4-lane loop, 1 thread]',
      value: `${median(u1).toFixed(1).padStart(7)} ms  as fast per core as Dusk's sync mean`,
    });
    rows.push({
      name: 'mean(total_sales) [4-lane loop, 2 threads]',
      value: `${median(u2).toFixed(1).padStart(7)} ms  ${(median(u1) / median(u2)).toFixed(2)}x the 4-lane loop on 1 thread: the memory-bandwidth ceiling for loops as fast as Dusk's${wait(handR.cpu['mean(total_sales) unrolled on 2 threads'])}`,
    });
  }
  const g1 = handR.ms['groupby unrolled on 1 thread'];
  const g2 = handR.ms['groupby unrolled on 2 threads'];
  if (g1 && g2) {
    rows.push({
      name: 'groupby(category).sum [4-lane loop, 1 thread]',
      value: `${median(g1).toFixed(1).padStart(7)} ms  the groupby loop with Dusk's per-lane sums`,
    });
    rows.push({
      name: 'groupby(category).sum [4-lane loop, 2 threads]',
      value: `${median(g2).toFixed(1).padStart(7)} ms  ${(median(g1) / median(g2)).toFixed(2)}x the 4-lane loop on 1 thread: the ceiling for groupby on 2 threads${wait(handR.cpu['groupby unrolled on 2 threads'])}`,
    });
  }
  if (inter) {
    for (const name of OPS) {
      const [sy, th] = [inter.sync[name]!, inter.threads[name]!];
      const [b1, b2] = [inter.bare1[name]!, inter.bare2[name]!];
      const dusk = sy.map((x, i) => x / th[i]!);
      const bare = b1.map((x, i) => x / b2[i]!);
      // Rounds in which the machine gave a bare loop two whole cores' worth.
      const quiet = dusk.filter((_, i) => bare[i]! >= 1.9);
      const [cs, ct] = [inter.coldSync[name]!, inter.coldThreads[name]!];
      rows.push({
        name: `${name} [threads vs sync, interleaved]`,
        value:
          `${ratioOf(sy, th).toFixed(2)}x  (sync ${median(sy).toFixed(1)} ms, threads ${median(th).toFixed(1)} ms; median of ${INTERLEAVED_ROUNDS} per-round ratios after ${SHARED_WARMUP} rounds of every op and ${INTERLEAVED_WARMUP} of this one, one process; ` +
          `V8/libuv threads ran ${median(inter.helperMs[name]!).toFixed(1)} CPU-ms per threads compute` +
          (cs.length > 0
            ? `; in the process's first ${cs.length} rounds ${ratioOf(cs, ct).toFixed(2)}x, V8/libuv ${median(inter.coldHelperMs[name]!).toFixed(1)} CPU-ms)`
            : ')'),
      });
      rows.push({
        name: `${name} [4-lane bare loop, 2 vs 1 threads, same rounds]`,
        value:
          `${ratioOf(b1, b2).toFixed(2)}x  (1 thread ${median(b1).toFixed(1)} ms, 2 threads ${median(b2).toFixed(1)} ms${inter.bareSame[name] ? '' : '; NOT the same result as Dusk'}); ` +
          `Dusk's ratio is ${median(dusk.map((d, i) => d / bare[i]!)).toFixed(2)} of it` +
          (quiet.length > 0
            ? `; in the ${quiet.length} rounds where the bare loop gained >= 1.9x, Dusk's median ${median(quiet).toFixed(2)}x`
            : '; no round let the bare loop gain 1.9x'),
      });
      const [s1, s2] = [inter.split1[name]!, inter.split2[name]!];
      const split = s1.map((x, i) => x / s2[i]!);
      rows.push({
        name: `${name} [Dusk's sync on 2 vs 1 plain threads, static split, same rounds]`,
        value: `${ratioOf(s1, s2).toFixed(2)}x  (1 thread ${median(s1).toFixed(1)} ms, 2 threads ${median(s2).toFixed(1)} ms); the threads pool's ratio is ${median(dusk.map((d, i) => d / split[i]!)).toFixed(2)} of it`,
      });
    }
  }
  if (fixed) {
    for (const name of OPS) {
      const sy = fixed.sync[name]!;
      const [m, w, h] = [
        fixed.threadsMain[name]!,
        fixed.threadsWorkers[name]!,
        fixed.threadsHelpers[name]!,
      ];
      const more = m + w + h - sy;
      rows.push({
        name: `${name} [fixed cost, 64K-row partitions]`,
        value: `sync ${sy.toFixed(2)} CPU-ms a compute; threads ${(m + w + h).toFixed(2)} (main thread ${m.toFixed(2)}, workers ${w.toFixed(2)}, V8/libuv ${h.toFixed(2)}): ${more >= 0 ? '+' : ''}${more.toFixed(2)} CPU-ms, ~${(more / 2).toFixed(1)} ms of every compute's wall time on 2 busy cores`,
      });
    }
  }
  for (const r of results) {
    rows.push({
      name: `memory [${r.scheduler}]`,
      value: `input columns ${r.inputMb.toFixed(0)} MB, peak RSS ${r.rssMb.toFixed(0)} MB (${(r.rssMb / r.inputMb).toFixed(2)}x); generate+persist ${r.generateMs.toFixed(0)} ms`,
    });
  }
  report('@dusk/dataframe: e-commerce operations', rows);
}

await main();
