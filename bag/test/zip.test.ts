import { fromSequence, range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { bagOfParts, run, SCHEDULERS } from './helpers.js';

describe('zip', () => {
  it.each(SCHEDULERS)('pairs elements of equally partitioned bags (%s)', async (s) => {
    const a = range(5, { npartitions: 2 });
    const b = a.map((x) => x * x);
    const c = a.map((x) => String(x));
    expect(await run(a.zip(b, c), s)).toEqual([0, 1, 2, 3, 4].map((x) => [x, x * x, String(x)]));
  });

  it('handles empty partitions and refuses unequal partitioning', async () => {
    const a = bagOfParts([[1], [], [2, 3]]);
    expect(await a.zip(a.map((x) => -x)).compute()).toEqual([
      [1, -1],
      [2, -2],
      [3, -3],
    ]);
    expect(() => range(4, { npartitions: 2 }).zip(range(4, { npartitions: 3 }))).toThrow(
      /same number of partitions \(2 and 3\)/,
    );
  });

  it('names the partition whose lengths differ', async () => {
    const a = bagOfParts([[1], [2, 3]]);
    const b = bagOfParts([[1], [2]]);
    await expect(a.zip(b).compute()).rejects.toThrow(
      /zip: partition 1 has 2 elements in the first bag but 1 in bag 1/,
    );
  });
});

describe('product', () => {
  it.each(SCHEDULERS)('every pair, like two nested loops (%s)', async (s) => {
    const xs = [1, 2, 3];
    const ys = ['a', 'b'];
    const got = await run(
      fromSequence(xs, { npartitions: 2 }).product(fromSequence(ys, { npartitions: 2 })),
      s,
    );
    const expected = xs.flatMap((x) => ys.map((y) => [x, y]));
    expect([...got].sort()).toEqual([...expected].sort());
    expect(got).toHaveLength(6);
  });

  it('is empty when one side is empty', async () => {
    expect(
      await range(3)
        .product(bagOfParts([[], []]))
        .compute(),
    ).toEqual([]);
  });
});
