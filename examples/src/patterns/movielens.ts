/**
 * MovieLens-style MapReduce with a bag, as in the course's MRJob example: map each rating
 * line to its rating, shuffle, and count per rating. First on the seven sample rows (showing
 * the map and shuffle-and-sort steps), then on a full u.data-format file: --input names a
 * real MovieLens u.data, otherwise a seeded file of --ratings rows is written to --dir.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromSequence, readText } from '@dusk/bag';
import { seededRandom, weightedPicker } from '../data/seeded.js';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { DEFAULT_OUT } from '../notebook/options.js';
import { patternContext } from './pattern-cli.js';

/** USER_ID, MOVIE_ID, RATING, TIMESTAMP: the sample table of the course notes. */
export const SAMPLE = [
  '196\t242\t3\t881250949',
  '186\t302\t3\t891717742',
  '196\t377\t1\t878887116',
  '244\t51\t2\t880606923',
  '166\t346\t1\t886397596',
  '186\t474\t4\t884182806',
  '186\t265\t2\t881171488',
];

/** Share of each rating 1..5 in MovieLens 100k, so generated files look like the real one. */
const RATING_WEIGHTS = [6110, 11370, 27145, 34174, 21201];

/** Writes `rows` ratings in u.data format (tab-separated), seeded; returns the path. */
export function writeRatings(dir: string, rows: number, seed: number): string {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  const pickRating = weightedPicker(RATING_WEIGHTS);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const user = 1 + Math.floor(random() * 943);
    const movie = 1 + Math.floor(random() * 1682);
    const time = 874724710 + Math.floor(random() * 18_000_000);
    lines.push(`${user}\t${movie}\t${pickRating(random) + 1}\t${time}`);
  }
  const path = join(dir, 'u.data');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** MRJob's output line: JSON key, a tab, JSON value. */
const mrjobLine = (key: string, value: number) => `${JSON.stringify(key)}\t${value}`;

export interface MovieLensResult {
  sampleCounts: [string, number][];
  counts: [string, number][];
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<MovieLensResult> {
  const ctx = patternContext(argv, io, {
    counts: { ratings: 100_000, seed: 42, blocksize: 1_000_000 },
    flags: { dir: join(DEFAULT_OUT, 'movielens'), input: '' },
  });
  const byRating = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]);

  // %% Step 1, map: each line to USER_ID:MOVIE_ID
  const sample = fromSequence(SAMPLE, { npartitions: 3 }).map((line: string) => line.split('\t'));
  const mapped = (await sample
    .map((f: string[]) => `${f[0]}:${f[1]}`)
    .compute(ctx.compute)) as string[];
  ctx.print(mapped.join(' ; '));

  // %% Step 2, shuffle and sort: movies grouped by user
  const grouped = (await sample.groupby((f: string[]) => f[0]).compute(ctx.compute)) as [
    string,
    string[][],
  ][];
  grouped.sort((a, b) => Number(a[0]) - Number(b[0]));
  ctx.print(
    grouped.map(([user, rows]) => `${user}:${rows.map((f) => f[1]).join(',')}`).join(' ; '),
  );

  // %% Step 3, reduce: count the ratings (mapper yields the rating, reducer sums)
  const sampleCounts = (await sample
    .map((f: string[]) => f[2])
    .frequencies()
    .compute(ctx.compute)) as [string, number][];
  sampleCounts.sort(byRating);
  for (const [rating, n] of sampleCounts) ctx.print(mrjobLine(rating, n));

  // %% The same job over a whole u.data file, read in blocks
  const path =
    ctx.flags.input || writeRatings(ctx.flags.dir!, ctx.counts.ratings!, ctx.counts.seed!);
  const counts = (await readText(path, { blocksize: ctx.counts.blocksize })
    .map((line: string) => line.split('\t')[2])
    .frequencies()
    .compute(ctx.compute)) as [string, number][];
  counts.sort(byRating);
  ctx.print(`Rating counts in ${path}:`);
  for (const [rating, n] of counts) ctx.print(mrjobLine(rating, n));
  return { sampleCounts, counts };
}

void runIfMain(import.meta.url, main);
