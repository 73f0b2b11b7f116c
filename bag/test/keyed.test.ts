import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromSequence, range, readText } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { bagOfParts, cases, MIXED, run, SCHEDULERS } from './helpers.js';

const WORDS = ['b', 'a', 'c', 'a', 'b', 'a', 'd', 'c', 'a'];

/** Reference: counts in order of first appearance. */
function counts<T>(xs: T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m];
}

describe('frequencies', () => {
  it.each(cases(WORDS))(
    'counts each value in order of first appearance (%s, %s)',
    async (_p, s, b) => {
      expect(await run(b.frequencies(), s)).toEqual(counts(WORDS));
      expect(await run(b.frequencies({ sort: true }), s)).toEqual([
        ['a', 4],
        ['b', 2],
        ['c', 2],
        ['d', 1],
      ]);
    },
  );

  it('groups equal arrays and objects, keeps 1 and "1" apart, NaN with NaN', async () => {
    const b = bagOfParts<unknown>([
      [[1, 2], 1, Number.NaN],
      ['1', [1, 2], { a: 1 }],
      [{ a: 1 }, Number.NaN],
    ]);
    expect(await b.frequencies().compute()).toEqual([
      [[1, 2], 2],
      [1, 1],
      [Number.NaN, 2],
      ['1', 1],
      [{ a: 1 }, 2],
    ]);
  });

  it.each(SCHEDULERS)(
    'word count with str.split().flatten() equals the step-by-step count (%s)',
    async (s) => {
      const lines = ['the cat  sat', '', '\tthe\u00a0mat ', 'the end'];
      const b = bagOfParts([lines.slice(0, 2), [], lines.slice(2)]);
      const words = lines.flatMap((l) => l.split(/\s+/).filter((w) => w.length > 0));
      const fused = b.str.split().flatten().frequencies();
      expect(await run(fused, s)).toEqual(counts(words));
      expect(
        await run(b.flatMap((l) => l.split(/\s+/).filter((w) => w.length > 0)).frequencies(), s),
      ).toEqual(counts(words));
      expect(await run(b.str.split(' ').flatten().frequencies(), s)).toEqual(
        counts(lines.flatMap((l) => l.split(' '))),
      );
    },
  );

  it('counts words in one task per partition, without the split and flatten steps', () => {
    const f = range(3)
      .map((x) => `w${x}`)
      .str.split()
      .flatten()
      .frequencies();
    const names = [...f.layer.tasks.values()].map((t: any) => t.fn.name);
    expect(names).toContain('countWordsPartition');
    expect(f.layer.dependencies.map((l) => l.name)[0]).toMatch(/^map-/);
  });

  it('counts the words of readText blocks as whole strings, with the same result as lines', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dusk-bag-keyed-')), 'words.txt');
    writeFileSync(path, 'a b\r\nb  c\n\nc c\td\n');
    const text = readText(path, { blocksize: 4 });
    const fused = text.str.split().flatten().frequencies();
    const names = [...fused.layer.tasks.values()].map((t: any) => t.fn.name);
    expect(names).toContain('countWordsBlock');
    expect(fused.layer.dependencies).toEqual([]);
    const expected = [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 1],
    ];
    expect(await fused.compute()).toEqual(expected);
    expect(
      await text
        .map((l) => l)
        .str.split()
        .flatten()
        .frequencies()
        .compute(),
    ).toEqual(expected);
  });
});

describe('distinct', () => {
  it.each(cases(MIXED))('keeps the first of each value (%s, %s)', async (_p, s, b) => {
    const seen = new Set<string>();
    const expected = MIXED.filter((x) => {
      const k =
        typeof x === 'object' && x !== null ? JSON.stringify(x) : `${typeof x}:${String(x)}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    expect(await run(b.distinct(), s)).toEqual(expected);
  });

  it('by key keeps the first element of each key', async () => {
    const b = fromSequence(
      [
        { k: 1, v: 'a' },
        { k: 2, v: 'b' },
        { k: 1, v: 'c' },
      ],
      { npartitions: 2 },
    );
    expect(await b.distinct('k').compute()).toEqual([
      { k: 1, v: 'a' },
      { k: 2, v: 'b' },
    ]);
    expect(await b.distinct((r) => r.v > 'a').compute()).toEqual([
      { k: 1, v: 'a' },
      { k: 2, v: 'b' },
    ]);
  });
});

describe('topk', () => {
  const NUMS = [5, 1, 9, 3, 9, 7, 2, 8];
  it.each(cases(NUMS))('the k largest, largest first (%s, %s)', async (_p, s, b) => {
    expect(await run(b.topk(3), s)).toEqual([9, 9, 8]);
    expect(
      await run(
        b.topk(3, (x) => -x),
        s,
      ),
    ).toEqual([1, 2, 3]);
    expect(await run(b.topk(20), s)).toEqual([...NUMS].sort((a, c) => c - a));
    expect(await run(b.topk(0), s)).toEqual([]);
  });

  it('by field, ties in input order', async () => {
    const rs = [
      { n: 'a', s: 2 },
      { n: 'b', s: 3 },
      { n: 'c', s: 2 },
      { n: 'd', s: 1 },
    ];
    const b = fromSequence(rs, { npartitions: 3 });
    expect(await b.topk(3, 's', { splitEvery: 2 }).compute()).toEqual([rs[1], rs[0], rs[2]]);
  });

  it('refuses a negative k', () => {
    expect(() => range(3).topk(-1)).toThrow(/k must be a non-negative integer/);
  });
});

describe('foldby', () => {
  const PEOPLE = [
    { name: 'ann', city: 'Oslo', age: 31 },
    { name: 'bob', city: 'Lima', age: 25 },
    { name: 'cy', city: 'Oslo', age: 40 },
    { name: 'di', city: 'Rome', age: 22 },
    { name: 'ed', city: 'Lima', age: 35 },
  ];

  it.each(cases(PEOPLE))('sums per key with initial values (%s, %s)', async (_p, s, b) => {
    const r = b.foldby(
      'city',
      (acc: number, p) => acc + p.age,
      0,
      (x: number, y: number) => x + y,
    );
    const expected = new Map<string, number>();
    for (const p of PEOPLE) expected.set(p.city, (expected.get(p.city) ?? 0) + p.age);
    expect(await run(r, s)).toEqual([...expected]);
  });

  it('without initial values starts from the first element; combineInitial seeds the merge', async () => {
    const b = range(10, { npartitions: 4 });
    const maxBy = b.foldby(
      (x) => x % 3,
      (a: number, x: number) => Math.max(a, x),
    );
    expect(await maxBy.compute()).toEqual([
      [0, 9],
      [1, 7],
      [2, 8],
    ]);
    const countBy = b.foldby(
      (x) => (x < 5 ? 'low' : 'high'),
      (n: number) => n + 1,
      0,
      (a: number, c: number) => a + c,
      0,
      { splitEvery: 2 },
    );
    expect(await countBy.compute()).toEqual([
      ['low', 5],
      ['high', 5],
    ]);
  });

  it.each(SCHEDULERS)('gives each key its own copy of an object initial value (%s)', async (s) => {
    const b = fromSequence(['ax', 'by', 'az'], { npartitions: 2 });
    const r = b.foldby(
      (w) => w[0],
      (acc: string[], w) => {
        acc.push(w);
        return acc;
      },
      [] as string[],
      (x: string[], y: string[]) => [...x, ...y],
    );
    expect(await run(r, s)).toEqual([
      ['a', ['ax', 'az']],
      ['b', ['by']],
    ]);
  });
});
