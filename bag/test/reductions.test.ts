import { fromSequence, range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { bagOfParts, cases, run, SCHEDULERS } from './helpers.js';

const NUMS = [3, -1, 4, 1, -5, 9, 2, 6, 5, 3, 5];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
const variance = (xs: number[], ddof = 0) =>
  sum(xs.map((x) => (x - mean(xs)) ** 2)) / (xs.length - ddof);

describe('numeric reductions', () => {
  it.each(cases(NUMS))('sum, count, min, max, mean, var, std (%s, %s)', async (_p, s, b) => {
    expect(await run(b.sum(), s)).toBe(sum(NUMS));
    expect(await run(b.count(), s)).toBe(NUMS.length);
    expect(await run(b.min(), s)).toBe(Math.min(...NUMS));
    expect(await run(b.max(), s)).toBe(Math.max(...NUMS));
    expect(await run(b.mean(), s)).toBeCloseTo(mean(NUMS), 12);
    expect(await run(b.var(), s)).toBeCloseTo(variance(NUMS), 12);
    expect(await run(b.std(1), s)).toBeCloseTo(Math.sqrt(variance(NUMS, 1)), 12);
  });

  it.each([2, 3, 8])(
    'gives the same answers for any splitEvery (%i) over 40 partitions',
    async (splitEvery) => {
      const b = range(1000, { npartitions: 40 });
      expect(await b.sum({ splitEvery }).compute()).toBe(499500);
      expect(await b.max({ splitEvery }).compute()).toBe(999);
      expect(await b.mean({ splitEvery }).compute()).toBeCloseTo(499.5, 12);
      expect(await b.std(0, { splitEvery }).compute()).toBeCloseTo(
        Math.sqrt((1000 ** 2 - 1) / 12),
        9,
      );
    },
  );

  it('builds a tree: no task reads more than splitEvery partials', () => {
    const d = range(100, { npartitions: 20 }).sum({ splitEvery: 3 });
    const tasks = d.layer.tasks;
    const combines = [...tasks.keys()].filter((k) => k.startsWith('sum-combine-'));
    expect(combines.length).toBe(7 + 3); // 20 partials -> 7 -> 3, then the aggregate reads 3
    for (const node of tasks.values()) {
      const partials = (node as any).args[0];
      if (Array.isArray(partials)) expect(partials.length).toBeLessThanOrEqual(3);
    }
  });

  it('stays accurate for variance around a large offset', async () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(await fromSequence(xs, { npartitions: 3 }).var().compute()).toBeCloseTo(22.5, 9);
  });

  it('handles empty bags: sum 0, count 0, mean NaN, min an error', async () => {
    const empty = bagOfParts<number>([[], []]);
    expect(await empty.sum().compute()).toBe(0);
    expect(await empty.count().compute()).toBe(0);
    expect(await empty.mean().compute()).toBeNaN();
    await expect(empty.min().compute()).rejects.toThrow(/min\(\) of an empty bag/);
  });

  it('min and max compare strings too', async () => {
    const b = fromSequence(['pear', 'apple', 'zucchini', 'fig'], { npartitions: 3 });
    expect(await b.min().compute()).toBe('apple');
    expect(await b.max().compute()).toBe('zucchini');
  });

  it('names the partition and element of a value that is not a number', async () => {
    const b = bagOfParts<unknown>([
      [1, 2],
      [3, 'x'],
    ]);
    await expect(b.sum().compute()).rejects.toThrow(
      /sum: element 1 of partition 1 is a string \('x'\); sum needs numbers/,
    );
    await expect(b.mean().compute()).rejects.toThrow(/element 1 of partition 1 is a string/);
  });

  it('refuses splitEvery below 2', () => {
    expect(() => range(3).sum({ splitEvery: 1 })).toThrow(
      /splitEvery must be an integer of at least 2/,
    );
  });
});

describe('fold and reduction', () => {
  it.each(cases(NUMS))('fold with and without an initial value (%s, %s)', async (_p, s, b) => {
    expect(
      await run(
        b.fold((a: number, x: number) => a + x),
        s,
      ),
    ).toBe(sum(NUMS));
    expect(
      await run(
        b.fold(
          (a: number, x: number) => a + x,
          (a, c) => a + c,
          100,
        ),
        s,
      ),
    ).toBeGreaterThanOrEqual(sum(NUMS) + 100);
    const maxAbs = (a: number, x: number) => Math.max(a, Math.abs(x));
    expect(
      await run(
        b.fold(maxAbs, (a: number, c: number) => Math.max(a, c), 0),
        s,
      ),
    ).toBe(9);
  });

  it('with an initial value, each partition starts from it (as in Dask)', async () => {
    const b = bagOfParts([[1, 2], [], [3]]);
    expect(
      await b
        .fold(
          (a: number, x: number) => a + x,
          (a: number, c: number) => a + c,
          10,
        )
        .compute(),
    ).toBe(36);
  });

  it.each(SCHEDULERS)(
    'gives each partition its own copy of an object initial value (%s)',
    async (s) => {
      const b = bagOfParts([[1, 2], [3]]);
      const push = (acc: number[], x: number) => {
        acc.push(x);
        return acc;
      };
      const concat = (a: number[], c: number[]) => [...a, ...c];
      expect(await run(b.fold(push, concat, [] as number[]), s)).toEqual([1, 2, 3]);
    },
  );

  it('folds an empty bag only with an initial value', async () => {
    const empty = bagOfParts<number>([[], []]);
    await expect(empty.fold((a: number, x: number) => a + x).compute()).rejects.toThrow(
      /fold\(\) of an empty bag without an initial value/,
    );
  });

  it.each(cases(NUMS))('reduction(perPartition, aggregate) (%s, %s)', async (_p, s, b) => {
    const r = b.reduction(
      (part: number[]) => part.length,
      (counts: number[]) => counts.reduce((a, c) => a + c, 0),
      { splitEvery: 2 },
    );
    expect(await run(r, s)).toBe(NUMS.length);
  });
});
