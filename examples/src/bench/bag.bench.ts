/**
 * Word count over 100 MB of generated text (issue 5): Dusk bags on the sync scheduler and
 * on 2 worker threads, against a hand-written single-thread Map count. Target: threads
 * >= 1.6x faster than sync on 2 cores. The text is Zipf-distributed words from a
 * 20,000-word vocabulary, generated once from a fixed seed and cached in the temp folder.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readText } from '@dusk/bag';
import { closePools, compute } from '@dusk/scheduler';
import { machine, median, peakRssMb, report, type Timing, timeRuns } from './lib.js';

const TARGET_BYTES = 100 * 1024 * 1024;
// Integer work of about half a sync word count, for the parallelism probe.
const SPIN = 6e7;
// A round counts as quiet when the probe saw two threads run nearly in parallel.
const QUIET_SCALING = 1.8;
const VOCABULARY = 20_000;
const RUNS = 7;

/** xorshift32: fast, seedable; quality is irrelevant for word choice. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function generate(path: string): void {
  const rand = rng(42);
  const words: string[] = [];
  for (let w = 0; w < VOCABULARY; w++) {
    const len = 2 + Math.floor(rand() * 9);
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(97 + Math.floor(rand() * 26));
    words.push(s);
  }
  // Zipf(1): cumulative weights 1/rank, sampled by binary search.
  const cum = new Float64Array(VOCABULARY);
  let total = 0;
  for (let r = 0; r < VOCABULARY; r++) cum[r] = total += 1 / (r + 1);
  const pick = () => {
    const u = rand() * total;
    let lo = 0;
    let hi = VOCABULARY - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const chunks: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const n = 6 + Math.floor(rand() * 12);
    let line = pick();
    for (let i = 1; i < n; i++) line += ` ${pick()}`;
    chunks.push(line);
    bytes += line.length + 1;
  }
  writeFileSync(path, `${chunks.join('\n')}\n`);
}

/** The hand-written baseline: read, decode, scan char codes, count in a Map. */
function handWritten(path: string): Map<string, number> {
  const text = readFileSync(path, 'utf8');
  const counts = new Map<string, number>();
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      if (start >= 0) {
        const w = text.slice(start, i);
        counts.set(w, (counts.get(w) ?? 0) + 1);
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) {
    const w = text.slice(start);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

/** The hand-written version most people write first. */
function handWrittenSplit(path: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of readFileSync(path, 'utf8').split(/\s+/))
    if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/**
 * How much two threads can run in parallel right now: pure integer work on one worker
 * twice in a row, against once on each of two workers. Measured in every round, so a
 * threads/sync ratio taken while other programs load the machine can be read against it.
 */
const SPIN_SOURCE = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003; parentPort.postMessage(s); });`;
const spinners = [0, 1].map(() => new Worker(SPIN_SOURCE, { eval: true }));
const spin = (w: Worker) =>
  new Promise<void>((resolve) => {
    w.once('message', () => resolve());
    w.postMessage(SPIN);
  });
async function parallelism(): Promise<number> {
  let t = performance.now();
  await spin(spinners[0]!);
  await spin(spinners[0]!);
  const one = performance.now() - t;
  t = performance.now();
  await Promise.all(spinners.map(spin));
  return one / (performance.now() - t);
}

const dir = join(tmpdir(), 'dusk-bench-bag');
mkdirSync(dir, { recursive: true });
const path = join(dir, 'words-100mb.txt');
if (!existsSync(path) || statSync(path).size < TARGET_BYTES) generate(path);
const mb = statSync(path).size / 2 ** 20;

const dusk = () => readText(path).str.split().flatten().frequencies();
const duskLambda = () =>
  readText(path)
    .flatMap((line) => line.split(' '))
    .frequencies();

const reference = handWritten(path);
const check = (pairs: [string, number][]) => {
  if (pairs.length !== reference.size || pairs.some(([w, n]) => reference.get(w) !== n)) {
    throw new Error('word counts differ from the hand-written count');
  }
};

// Rounds interleave the cases, so drift in the machine's load hits all of them alike; the
// speedup is the median of the per-round ratios.
const cases: [string, () => unknown][] = [
  ['hand-written Map count (1 thread)', () => handWritten(path)],
  [
    'dusk str.split().flatten().frequencies(), sync',
    async () => check((await compute(dusk(), { scheduler: 'sync' }))[0] as [string, number][]),
  ],
  [
    'dusk str.split().flatten().frequencies(), threads x2',
    async () =>
      check((await compute(dusk(), { scheduler: 'threads', workers: 2 }))[0] as [string, number][]),
  ],
];
const runs = new Map<string, number[]>(cases.map(([name]) => [name, []]));
// The lower of the probes taken just before and just after each round.
const spinRatios: number[] = [];
for (let round = -1; round < RUNS; round++) {
  const before = await parallelism();
  for (const [name, fn] of cases) {
    const t0 = performance.now();
    await fn();
    if (round >= 0) runs.get(name)!.push(performance.now() - t0);
  }
  if (round >= 0) spinRatios.push(Math.min(before, await parallelism()));
}
for (const w of spinners) await w.terminate();
const timings: Timing[] = cases.map(([name]) => ({
  name,
  medianMs: median(runs.get(name)!),
  runsMs: runs.get(name)!,
}));
timings.push(
  await timeRuns('hand-written split(/\\s+/) count (1 thread)', () => handWrittenSplit(path), 3),
  await timeRuns(
    'dusk flatMap(lambda).frequencies(), sync',
    () => compute(duskLambda(), { scheduler: 'sync' }),
    3,
  ),
  await timeRuns(
    'dusk flatMap(lambda).frequencies(), threads x2',
    () => compute(duskLambda(), { scheduler: 'threads', workers: 2 }),
    3,
  ),
);
await closePools();

const [handRuns, syncRuns, threadRuns] = cases.map(([name]) => runs.get(name)!);
const ratios = syncRuns!.map((s, i) => s / threadRuns![i]!);
const handRatios = handRuns!.map((h, i) => h / threadRuns![i]!);
const quiet = ratios.filter((_, i) => spinRatios[i]! >= QUIET_SCALING);
report(
  `word count, ${mb.toFixed(0)} MB, ${reference.size} distinct words, default blocksize (8 MiB) (${machine()})`,
  [
    ...timings.map((t) => ({
      name: t.name,
      value: `${t.medianMs.toFixed(0)} ms median of ${t.runsMs.length} (${(mb / (t.medianMs / 1000)).toFixed(0)} MB/s; runs ${t.runsMs.map((x) => x.toFixed(0)).join(', ')})`,
    })),
    {
      name: 'threads x2 speedup over sync',
      value: `${median(ratios).toFixed(2)}x median of per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')} (target >= 1.6x)`,
    },
    {
      name: 'two threads of integer work, same rounds',
      value: `${median(spinRatios).toFixed(2)}x median (${spinRatios.map((r) => r.toFixed(2)).join(', ')}): what the machine allowed`,
    },
    {
      name: `speedup in rounds where integer work scaled >= ${QUIET_SCALING}x`,
      value: quiet.length
        ? `${median(quiet).toFixed(2)}x median of ${quiet.length} (${quiet.map((r) => r.toFixed(2)).join(', ')})`
        : 'no such round (the machine was busy throughout)',
    },
    { name: 'threads x2 vs hand-written', value: `${median(handRatios).toFixed(2)}x` },
    {
      name: 'load average at the end',
      value: loadavg()
        .map((l) => l.toFixed(1))
        .join(', '),
    },
    { name: 'peak RSS', value: `${peakRssMb().toFixed(0)} MB` },
  ],
);
