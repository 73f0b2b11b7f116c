import { fromSequence, range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { cases, run, SCHEDULERS } from './helpers.js';

const NUMS = [4, 7, 1, 8, 5, 2, 9, 3, 6, 0, 11];

/** Reference grouping: groups in order of first appearance, elements in input order. */
function groups<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

/** Output order depends on the hash partitioning; compare as a sorted list of groups. */
const sorted = (pairs: [unknown, unknown[]][]) =>
  [...pairs].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('groupby (hash shuffle)', () => {
  it.each(cases(NUMS))('groups every element by key (%s, %s)', async (_p, s, b) => {
    const got = await run(
      b.groupby((x) => x % 3),
      s,
    );
    expect(sorted(got)).toEqual(sorted([...groups(NUMS, (x) => x % 3)]));
  });

  it.each(SCHEDULERS)('sends each key to exactly one output partition (%s)', async (s) => {
    const b = range(200, { npartitions: 7 }).groupby((x) => `k${x % 13}`, { npartitions: 4 });
    expect(b.npartitions).toBe(4);
    const parts = await Promise.all(b.toDelayed().map((d) => run(d, s)));
    const keysPer = parts.map((p) => p.map(([k]) => k));
    const all = keysPer.flat();
    expect(new Set(all).size).toBe(13);
    expect(all.length).toBe(13);
    for (const part of parts)
      for (const [k, xs] of part) expect(xs.every((x) => `k${x % 13}` === k)).toBe(true);
  });

  it('groups by field name, with object keys compared by value', async () => {
    const b = fromSequence(
      [
        { k: [1, 'a'], v: 1 },
        { k: [2, 'b'], v: 2 },
        { k: [1, 'a'], v: 3 },
      ],
      { npartitions: 3 },
    );
    const got = await b
      .groupby('k')
      .map(([k, rs]) => [k, rs.map((r) => r.v)])
      .compute();
    expect(sorted(got as [unknown, unknown[]][])).toEqual([
      [
        [1, 'a'],
        [1, 3],
      ],
      [[2, 'b'], [2]],
    ]);
  });

  it('refuses a bad npartitions', () => {
    expect(() => range(3).groupby((x) => x, { npartitions: 0 })).toThrow(
      /npartitions must be a positive integer/,
    );
  });
});
