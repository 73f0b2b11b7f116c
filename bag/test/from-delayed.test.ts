import { fromDelayed, range } from '@dusk/bag';
import { delayed } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { run, SCHEDULERS } from './helpers.js';

describe('fromDelayed and toDelayed', () => {
  it.each(SCHEDULERS)('one partition per delayed value (%s)', async (s) => {
    const page = delayed((n: number) => Array.from({ length: n }, (_, i) => `p${n}-${i}`));
    const b = fromDelayed([page(2), page(0), page(1)]);
    expect(b.npartitions).toBe(3);
    expect(await run(b, s)).toEqual(['p2-0', 'p2-1', 'p1-0']);
    expect(await run(b.count(), s)).toBe(3);
  });

  it('names the partition whose value is not an array', async () => {
    const b = fromDelayed([delayed([1]), delayed((x: number) => x)(5)] as any);
    await expect(b.compute()).rejects.toThrow(
      /fromDelayed: partition 1 computed to a number \(5\), not an array/,
    );
  });

  it('refuses things that are not Delayed, and an empty list', () => {
    expect(() => fromDelayed([[1, 2]] as any)).toThrow(/item 0 is not a Delayed value/);
    expect(() => fromDelayed([])).toThrow(/at least one Delayed value/);
  });

  it('toDelayed gives each partition as a Delayed that can feed delayed calls', async () => {
    const parts = range(6, { npartitions: 3 }).toDelayed();
    expect(parts).toHaveLength(3);
    const lengths = delayed((ps: number[][]) => ps.map((p) => p.length));
    expect(await lengths(parts).compute()).toEqual([2, 2, 2]);
    expect(
      await fromDelayed(parts)
        .map((x) => x * 2)
        .compute(),
    ).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
