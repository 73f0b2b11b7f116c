/**
 * The course material's MapReduce examples, written as a Dusk user would write them:
 * word count over text files, MovieLens rating counts, and map/reduce sum of squares.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromSequence, readText } from '@dusk/bag';
import { afterAll, describe, expect, it } from 'vitest';
import { fns } from './fixtures/user-fns.mjs';
import { run, SCHEDULERS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dusk-bag-mapreduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOOKS: Record<string, string> = {
  'a.txt': 'the quick brown fox\njumps over the lazy dog\n',
  'b.txt': 'the dog sleeps\n\nthe fox runs\n',
  'c.txt.gz': 'a fox and a dog\n',
};
for (const [name, text] of Object.entries(BOOKS)) {
  writeFileSync(join(dir, name), name.endsWith('.gz') ? gzipSync(text) : text);
}

// u.data: user id, movie id, rating, timestamp, tab-separated (the seed's sample, and more).
const U_DATA = [
  [196, 242, 3, 881250949],
  [186, 302, 3, 891717742],
  [196, 377, 1, 878887116],
  [244, 51, 2, 880606923],
  [166, 346, 1, 886397596],
  [186, 474, 4, 884182806],
  [186, 265, 2, 881171488],
  [22, 377, 1, 878887116],
  [244, 51, 5, 880606923],
  [298, 474, 4, 884182806],
];
const uData = join(dir, 'u.data');
writeFileSync(uData, `${U_DATA.map((r) => r.join('\t')).join('\n')}\n`);

function referenceWordCount(): Map<string, number> {
  const m = new Map<string, number>();
  for (const text of Object.values(BOOKS))
    for (const w of text.split(/\s+/)) if (w) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

const byCountThenWord = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || a[0].localeCompare(b[0]);

describe('MapReduce examples', () => {
  it.each(SCHEDULERS)('word count: readText -> split -> frequencies (%s)', async (s) => {
    const counts = readText(join(dir, '*.txt*')).str.split().flatten().frequencies({ sort: true });
    const got = await run(counts, s);
    expect([...got].sort(byCountThenWord)).toEqual([...referenceWordCount()].sort(byCountThenWord));
    expect(got[0]).toEqual(['the', 4]);
  });

  it.each(SCHEDULERS)('word count the Spark way: flatMap, pairs, reduce by key (%s)', async (s) => {
    const counts = readText(join(dir, '*.txt*'), { blocksize: 16 })
      .flatMap((line) => line.split(' '))
      .filter((word) => word.length > 0)
      .map((word) => [word, 1] as [string, number])
      .foldby(
        (pair) => pair[0],
        (n: number, pair) => n + pair[1],
        0,
        (a: number, b: number) => a + b,
      );
    expect(new Map(await run(counts, s))).toEqual(referenceWordCount());
  });

  it.each(SCHEDULERS)('MovieLens: count ratings per rating value (%s)', async (s) => {
    const expected = new Map<number, number>();
    for (const r of U_DATA) expected.set(r[2]!, (expected.get(r[2]!) ?? 0) + 1);

    // mapper: (user, movie, rating, timestamp) = line.split('\t'); yield rating, 1
    // reducer: yield key, sum(values)
    const ratings = readText(uData, { blocksize: 64 }).map((line) => Number(line.split('\t')[2]));
    expect(new Map(await run(ratings.frequencies(), s))).toEqual(expected);

    const viaModule = readText(uData, { blocksize: 64 }).map(fns.parseRating).pluck('rating');
    expect(new Map(await run(viaModule.frequencies(), s))).toEqual(expected);

    const viaGroups = ratings.groupby((r) => r).map(([rating, rs]) => [rating, rs.length]);
    expect(new Map((await run(viaGroups, s)) as [number, number][])).toEqual(expected);
  });

  it.each(SCHEDULERS)('sum of squares: map(x => x * x) then sum (%s)', async (s) => {
    const data = [1, 2, 3, 4, 5];
    expect(
      await run(
        fromSequence(data)
          .map((x) => x * x)
          .sum(),
        s,
      ),
    ).toBe(55);
    const n = 10_000;
    const big = fromSequence(
      Array.from({ length: n }, (_, i) => i + 1),
      { npartitions: 16 },
    );
    expect(await run(big.map((x) => x * x).sum(), s)).toBe((n * (n + 1) * (2 * n + 1)) / 6);
    expect(
      await run(
        big.map((x) => x * x).fold((a: number, b: number) => a + b),
        s,
      ),
    ).toBe((n * (n + 1) * (2 * n + 1)) / 6);
  });
});
