/**
 * Dataframe benchmarks (issue 4): the e-commerce notebook's operations on 50M rows in 50
 * partitions (generated in parallel per partition from seeded streams, then persisted),
 * against hand-written single-pass typed-array loops over the same partition arrays:
 * mean(total_sales), max(price), min(price), groupby(category).total_sales.sum(),
 * nlargest(5, 'total_sales'). Each scheduler runs in its own child process (so its peak
 * RSS is its own), reported next to the size of the input columns.
 * Targets: each op within 1.5x of the loop per core; threads >= 1.8x sync on 2 cores;
 * peak RSS <= 1.5x the input. Run alone: `flock /tmp/dusk-bench.lock npm run bench dataframe`.
 * `DUSK_BENCH_SCALE=0.02` shrinks the rows for a quick check.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as da from '@dusk/array';
import { type DataFrame, fromArrays } from '@dusk/dataframe';
import { closePools, schedulerNames } from '@dusk/scheduler';
import type * as A from 'apache-arrow';
import { machine, median, peakRssMb, report } from './lib.js';

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

function op(
  df: DataFrame,
  name: Op,
  opts: { scheduler: string; workers: number },
): Promise<unknown> {
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
  units: Int32Array[];
}

function columnsOf(tables: A.Table[]): Columns {
  const get = (t: A.Table, c: string) => t.getChild(c)!.data[0]!.values as any;
  return {
    pid: tables.map((t) => get(t, 'product_id')),
    cat: tables.map((t) => get(t, 'category')),
    price: tables.map((t) => get(t, 'price')),
    units: tables.map((t) => get(t, 'units_sold')),
  };
}

/** Hand-written single-pass loops over the partition arrays (one core). */
function hand(c: Columns, name: Op): unknown {
  const P = c.price.length;
  switch (name) {
    case 'mean(total_sales)': {
      let s = 0;
      let n = 0;
      for (let p = 0; p < P; p++) {
        const a = c.price[p]!;
        const b = c.units[p]!;
        for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
        n += a.length;
      }
      return s / n;
    }
    case 'max(price)':
    case 'min(price)': {
      const max = name === 'max(price)';
      let m = max ? -Infinity : Infinity;
      for (let p = 0; p < P; p++) {
        const a = c.price[p]!;
        if (max) for (let i = 0; i < a.length; i++) m = a[i]! > m ? a[i]! : m;
        else for (let i = 0; i < a.length; i++) m = a[i]! < m ? a[i]! : m;
      }
      return m;
    }
    case 'groupby(category).sum': {
      const acc = new Float64Array(CATEGORIES.length);
      for (let p = 0; p < P; p++) {
        const k = c.cat[p]!;
        const a = c.price[p]!;
        const b = c.units[p]!;
        for (let i = 0; i < a.length; i++) acc[k[i]!]! += a[i]! * b[i]!;
      }
      return Array.from(acc, (v) => v.toExponential(6)).join(' ');
    }
    case 'nlargest(5)': {
      const top = new Float64Array(5).fill(-Infinity);
      const ids = new Int32Array(5);
      for (let p = 0; p < P; p++) {
        const a = c.price[p]!;
        const b = c.units[p]!;
        const id = c.pid[p]!;
        for (let i = 0; i < a.length; i++) {
          const v = a[i]! * b[i]!;
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
      return Array.from(ids).join(' ');
    }
  }
}

async function timed(f: () => unknown, runs = RUNS): Promise<{ ms: number[]; value: unknown }> {
  let value = await f(); // warm-up: JIT and pools
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await f();
    ms.push(performance.now() - t0);
  }
  return { ms, value };
}

function show(v: unknown): string {
  if (typeof v === 'number') return v.toFixed(6);
  const t = v as { toRecords?: () => Record<string, unknown>[] };
  if (t?.toRecords)
    return JSON.stringify(
      t
        .toRecords()
        .map((r) =>
          Object.values(r).map((x) =>
            typeof x === 'number' && !Number.isInteger(x) ? x.toExponential(6) : x,
          ),
        ),
    );
  return String(v);
}

const HALF_SUM = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ price, units }) => {
  let s = 0;
  let n = 0;
  for (let p = 0; p < price.length; p++) {
    const a = price[p];
    const b = units[p];
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    n += a.length;
  }
  parentPort.postMessage([s, n]);
});`;

/** The hand-written mean loop over half the partitions on each of two worker threads. */
async function handTwoThreads(c: Columns): Promise<{ ms: number[]; value: unknown }> {
  const workers = [0, 1].map(() => new Worker(HALF_SUM, { eval: true }));
  const half = Math.ceil(c.price.length / 2);
  const once = async () => {
    const parts = await Promise.all(
      workers.map(
        (w, k) =>
          new Promise<[number, number]>((resolve) => {
            w.once('message', resolve);
            w.postMessage({
              price: c.price.slice(k * half, (k + 1) * half),
              units: c.units.slice(k * half, (k + 1) * half),
            });
          }),
      ),
    );
    return parts.reduce((a, p) => a + p[0], 0) / parts.reduce((a, p) => a + p[1], 0);
  };
  const r = await timed(once);
  await Promise.all(workers.map((w) => w.terminate()));
  return r;
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
  const values: Record<string, string> = {};
  const cols = columnsOf(tables);
  if (scheduler === 'hand') {
    // The machine's ceiling for threads: the mean loop split over two worker threads.
    const r = await handTwoThreads(cols);
    ms['mean(total_sales) on 2 threads'] = r.ms;
    values['mean(total_sales) on 2 threads'] = show(r.value);
  }
  for (const name of OPS) {
    const r =
      scheduler === 'hand'
        ? await timed(() => hand(cols, name))
        : await timed(() => op(data, name, opts));
    ms[name] = r.ms;
    values[name] = show(r.value);
  }
  await closePools();
  return { scheduler, ms, values, inputMb, rssMb: peakRssMb(), generateMs };
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
  const i = process.argv.indexOf('--part');
  if (i >= 0) {
    console.log(JSON.stringify(await part(process.argv[i + 1]!)));
    return;
  }
  console.log(
    `machine: ${machine()}; ${ROWS} rows in ${PARTITIONS} partitions; medians of ${RUNS} runs`,
  );
  const schedulers = ['sync', ...schedulerNames().filter((s) => s === 'threads')];
  const handR = spawnPart('hand');
  const results = schedulers.map(spawnPart);
  const rows: { name: string; value: string }[] = [];
  for (const name of OPS) {
    const h = median(handR.ms[name]!);
    rows.push({
      name: `${name} [hand loop, 1 core]`,
      value: `${h.toFixed(1).padStart(7)} ms  ${handR.values[name]}`,
    });
    for (const r of results) {
      const m = median(r.ms[name]!);
      const perCore = r.scheduler === 'threads' ? m * 2 : m;
      const sync = results[0]!;
      const speed =
        r.scheduler === 'sync' ? '' : `  ${(median(sync.ms[name]!) / m).toFixed(2)}x sync`;
      rows.push({
        name: `${name} [${r.scheduler}]`,
        value: `${m.toFixed(1).padStart(7)} ms  ${(perCore / h).toFixed(2)}x the loop per core${speed}  ${r.values[name] === handR.values[name] ? 'same result' : r.values[name]}`,
      });
    }
  }
  const two = handR.ms['mean(total_sales) on 2 threads'];
  if (two) {
    const one = median(handR.ms['mean(total_sales)']!);
    rows.push({
      name: 'mean(total_sales) [hand loop, 2 threads]',
      value: `${median(two).toFixed(1).padStart(7)} ms  ${(one / median(two)).toFixed(2)}x the 1-core loop: the machine's ceiling for a memory-bound loop on 2 threads`,
    });
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
