/**
 * Word count with a bag: read text files in blocks, split lines into words, count each
 * word (Python/Spark: flatMap(split) -> map((w, 1)) -> reduceByKey(add); Dask:
 * read_text(...).str.split().flatten().frequencies()) and write the counts back to files.
 * Without --input it first writes a seeded corpus to --dir.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from '@dusk/bag';
import { seededRandom, weightedPicker } from '../data/seeded.js';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { DEFAULT_OUT } from '../notebook/options.js';
import { tuple } from '../notebook/py-format.js';
import { patternContext } from './pattern-cli.js';

/** The corpus vocabulary, most frequent first (weights fall off like Zipf's law). */
export const VOCABULARY = (
  'the of and to in a is that for it as was with be by on not he this are or his from at ' +
  'which but have an they you were her she there been one all we their has would when if ' +
  'so no will more can data parallel task graph worker chunk partition scheduler cluster'
).split(' ');

/** Writes `files` text files of `lines` lines each, seeded by `seed`; returns their paths. */
export function writeCorpus(dir: string, files: number, lines: number, seed: number): string[] {
  mkdirSync(dir, { recursive: true });
  const pick = weightedPicker(VOCABULARY.map((_, i) => 1 / (i + 1)));
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const random = seededRandom(seed * 1000 + f);
    const out: string[] = [];
    for (let l = 0; l < lines; l++) {
      const n = 4 + Math.floor(random() * 12);
      const words: string[] = [];
      for (let w = 0; w < n; w++) words.push(VOCABULARY[pick(random)]!);
      out.push(words.join(' '));
    }
    const path = join(dir, `part-${String(f).padStart(3, '0')}.txt`);
    writeFileSync(path, `${out.join('\n')}\n`);
    paths.push(path);
  }
  return paths;
}

export interface WordCountResult {
  top: [string, number][];
  totalWords: number;
  distinctWords: number;
  outputs: string[];
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<WordCountResult> {
  const ctx = patternContext(argv, io, {
    counts: { files: 8, lines: 50_000, seed: 42, top: 10, blocksize: 1_000_000 },
    flags: { dir: join(DEFAULT_OUT, 'corpus'), input: '' },
  });
  const { files, lines, seed, top, blocksize } = ctx.counts as Record<string, number>;

  // %% The text files: given with --input, or a seeded corpus written to --dir
  const input = ctx.flags.input || join(ctx.flags.dir!, '*.txt');
  if (!ctx.flags.input) writeCorpus(ctx.flags.dir!, files, lines, seed);

  // %% Lines -> words -> (word, count), one pass per block, partial counts merged in a tree
  const counts = await readText(input, { blocksize })
    .str.split()
    .flatten()
    .frequencies({ sort: true })
    .persist(ctx.compute); // kept: printed now and saved below without counting twice
  const pairs = (await counts.compute(ctx.compute)) as [string, number][];
  const totalWords = pairs.reduce((s, [, c]) => s + c, 0);
  ctx.print(`Total words: ${totalWords}`);
  ctx.print(`Distinct words: ${pairs.length}`);
  ctx.print(
    `Top ${top} words:`,
    pairs.slice(0, top).map(([w, c]) => tuple(w, c)),
  );

  // %% Save the counts as text, one file per partition (Spark's saveAsTextFile)
  const outDir = join(ctx.flags.dir!, 'counts');
  const outputs = await counts
    .map(([w, c]: [string, number]) => `${w}\t${c}`)
    .toTextFiles(join(outDir, 'part-*.txt'), ctx.compute);
  ctx.print(`Wrote ${outputs.length} file(s) to ${outDir}`);
  return { top: pairs.slice(0, top), totalWords, distinctWords: pairs.length, outputs };
}

void runIfMain(import.meta.url, main);
