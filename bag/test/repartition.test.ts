import { range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { cases, run, SCHEDULERS } from './helpers.js';

const VALUES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('repartition', () => {
  it.each(cases(VALUES))(
    'keeps elements and order for fewer and more partitions (%s, %s)',
    async (_p, s, b) => {
      for (const n of [1, 2, b.npartitions, b.npartitions + 3, 13]) {
        const r = b.repartition(n);
        expect(r.npartitions).toBe(n);
        expect(await run(r, s)).toEqual(VALUES);
      }
    },
  );

  it.each(SCHEDULERS)('cuts into nearly equal pieces (%s)', async (s) => {
    const parts = await Promise.all(
      range(10, { npartitions: 2 })
        .repartition(4)
        .toDelayed()
        .map((d) => run(d, s)),
    );
    expect(parts).toEqual([
      [0, 1],
      [2, 3, 4],
      [5, 6],
      [7, 8, 9],
    ]);
  });

  it('returns the same bag for the same count and refuses a bad one', () => {
    const b = range(4, { npartitions: 2 });
    expect(b.repartition(2)).toBe(b);
    expect(() => b.repartition(0)).toThrow(/npartitions must be a positive integer/);
  });
});
