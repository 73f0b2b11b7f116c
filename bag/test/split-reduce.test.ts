import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromSequence, range, readText } from '@dusk/bag';
import { hashKey } from '@dusk/bag/kernels';
import { describe, expect, it } from 'vitest';
import { bagOfParts, cases, run, SCHEDULERS } from './helpers.js';

// Keys with the characters key and token syntax use, numbers next to their own text, and
// shapes that group by JSON text.
const VALUES: unknown[] = [
  'a-b',
  'a|b',
  'x',
  1,
  '1',
  'a-b',
  [1, '-'],
  { k: '|' },
  'x',
  'ü-😀',
  null,
  'a|b',
  [1, '-'],
  1,
  'x',
];

/** Reference: counts in order of first appearance, then grouped by output partition. */
function bucketed<K, V>(pairs: [K, V][], splitOut: number): [K, V][][] {
  const out: [K, V][][] = Array.from({ length: splitOut }, () => []);
  for (const p of pairs) out[hashKey(p[0]) % splitOut]!.push(p);
  return out;
}

function counts(xs: unknown[]): [unknown, number][] {
  const m = new Map<string, [unknown, number]>();
  for (const x of xs) {
    const k = typeof x === 'object' && x !== null ? `o:${JSON.stringify(x)}` : `${typeof x}:${x}`;
    const e = m.get(k);
    if (e) e[1]++;
    else m.set(k, [x, 1]);
  }
  return [...m.values()];
}

/** The partitions of a bag, computed one by one. */
async function partitions<T>(b: { toDelayed(): any[] }, s: string): Promise<T[][]> {
  return Promise.all(b.toDelayed().map((d) => run(d, s)));
}

describe('frequencies with splitOut', () => {
  it.each(cases(VALUES))(
    'hash-partitions the counts, first appearance within each partition (%s, %s)',
    async (_p, s, b) => {
      const f = b.frequencies({ splitOut: 3 });
      expect(f.npartitions).toBe(3);
      const expected = bucketed(counts(VALUES), 3);
      expect(await partitions(f, s)).toEqual(expected);
      expect(await run(f, s)).toEqual(expected.flat());
    },
  );

  it.each(SCHEDULERS)('one element, and an empty bag (%s)', async (s) => {
    expect(await run(fromSequence(['only']).frequencies({ splitOut: 4 }), s)).toEqual([
      ['only', 1],
    ]);
    expect(await run(bagOfParts<string>([[], []]).frequencies({ splitOut: 2 }), s)).toEqual([]);
  });

  it.each(SCHEDULERS)(
    'the word count from bytes splits like the generic path, multi-byte words too (%s)',
    async (s) => {
      const path = join(mkdtempSync(join(tmpdir(), 'dusk-bag-split-')), 'w.txt');
      const lines = ['a-b a|b ünï 😀x', '', 'x\u3000a-b\ty', 'ünï x a|b z', 'é é é'];
      writeFileSync(path, `${lines.join('\n')}\n`);
      const fromBytes = readText(path, { blocksize: 7 }).str.split().flatten();
      const generic = fromSequence(lines, { npartitions: 2 }).str.split().flatten();
      const a = await partitions(fromBytes.frequencies({ splitOut: 3, splitEvery: 2 }), s);
      const b = await partitions(generic.frequencies({ splitOut: 3 }), s);
      expect(a).toEqual(b);
      const words = lines.flatMap((l) => l.split(/\s+/).filter((w) => w.length > 0));
      expect(a).toEqual(bucketed(counts(words), 3));
    },
  );

  it('splits by itself past 32 input partitions, never when sorting', () => {
    expect(range(64, { npartitions: 32 }).frequencies().npartitions).toBe(1);
    expect(range(66, { npartitions: 33 }).frequencies().npartitions).toBe(2);
    expect(range(200, { npartitions: 100 }).frequencies().npartitions).toBe(4);
    expect(range(200, { npartitions: 100 }).frequencies({ sort: true }).npartitions).toBe(1);
    expect(range(200, { npartitions: 100 }).frequencies({ splitOut: 1 }).npartitions).toBe(1);
  });

  it('refuses a bad splitOut, and splitOut with sort', () => {
    expect(() => range(4).frequencies({ splitOut: 0 })).toThrow(/splitOut must be a positive/);
    expect(() => range(4).frequencies({ splitOut: 2.5 })).toThrow(/splitOut must be a positive/);
    expect(() => range(4).frequencies({ sort: true, splitOut: 2 })).toThrow(
      /sort: true .* needs one output partition/,
    );
  });
});

describe('foldby with splitOut', () => {
  const RECORDS = VALUES.map((k, i) => ({ k, v: i }));

  it.each(cases(RECORDS))('hash-partitions the accumulators by key (%s, %s)', async (_p, s, b) => {
    const f = b.foldby(
      'k',
      (acc: number[], r) => [...acc, r.v],
      [] as number[],
      (x: number[], y: number[]) => [...x, ...y],
      [] as number[],
      { splitOut: 4, splitEvery: 2 },
    );
    expect(f.npartitions).toBe(4);
    const ref = new Map<string, [unknown, number[]]>();
    for (const r of RECORDS) {
      const id = JSON.stringify([typeof r.k, r.k]);
      if (!ref.has(id)) ref.set(id, [r.k, []]);
      ref.get(id)![1].push(r.v);
    }
    expect(await partitions(f, s)).toEqual(bucketed([...ref.values()], 4));
  });

  it.each(SCHEDULERS)('many groups: every key once, sums right, same on rerun (%s)', async (s) => {
    const n = 5000;
    const b = range(n, { npartitions: 40 }).foldby(
      (x) => `g-${x % 1234}`,
      (a: number, x: number) => a + x,
      0,
      (a: number, c: number) => a + c,
    );
    expect(b.npartitions).toBe(2);
    const parts = await partitions<[string, number]>(b, s);
    const got = new Map(parts.flat());
    expect(got.size).toBe(1234);
    for (let g = 0; g < 1234; g++) {
      let sum = 0;
      for (let x = g; x < n; x += 1234) sum += x;
      expect(got.get(`g-${g}`)).toBe(sum);
    }
    for (let j = 0; j < parts.length; j++)
      for (const [k] of parts[j]!) expect(hashKey(k) % 2).toBe(j);
    expect(await partitions(b, s)).toEqual(parts);
  });
});
