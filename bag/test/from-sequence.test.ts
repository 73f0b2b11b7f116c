import { fromSequence, range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { run, SCHEDULERS } from './helpers.js';

const partsOf = async <T>(b: { toDelayed(): { compute(): Promise<T[]> }[] }) =>
  Promise.all(b.toDelayed().map((d) => d.compute()));

describe('fromSequence', () => {
  it('splits into npartitions whose lengths differ by at most one', async () => {
    expect(await partsOf(fromSequence([1, 2, 3, 4, 5], { npartitions: 2 }))).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(await partsOf(fromSequence([1, 2], { npartitions: 4 }))).toEqual([[], [1], [], [2]]);
  });

  it('splits into runs of partitionSize', async () => {
    expect(await partsOf(fromSequence('abcde'.split(''), { partitionSize: 2 }))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
  });

  it('defaults like Dask: one element per partition up to 100, then 100 partitions', () => {
    expect(fromSequence([1, 2, 3]).npartitions).toBe(3);
    expect(fromSequence(Array.from({ length: 1000 }, (_, i) => i)).npartitions).toBe(100);
    expect(fromSequence([]).npartitions).toBe(1);
  });

  it('accepts any iterable and an empty sequence', async () => {
    expect(await fromSequence(new Set(['x', 'y'])).compute()).toEqual(['x', 'y']);
    expect(await fromSequence([]).compute()).toEqual([]);
  });

  it('gives equal keys for equal input, different keys otherwise', () => {
    expect(fromSequence([1, 2], { npartitions: 2 }).name).toBe(
      fromSequence([1, 2], { npartitions: 2 }).name,
    );
    expect(fromSequence([1, 2]).name).not.toBe(fromSequence([1, 3]).name);
    expect(fromSequence([1, 2], { npartitions: 1 }).name).not.toBe(
      fromSequence([1, 2], { npartitions: 2 }).name,
    );
  });

  it('refuses contradictory or invalid options', () => {
    expect(() => fromSequence([1], { npartitions: 1, partitionSize: 1 })).toThrow(
      /npartitions or partitionSize, not both/,
    );
    expect(() => fromSequence([1], { npartitions: 0 })).toThrow(
      /npartitions must be a positive integer/,
    );
  });
});

describe('range', () => {
  it.each(SCHEDULERS)('generates 0..n-1 per partition (%s)', async (s) => {
    expect(await run(range(10, { npartitions: 3 }), s)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await run(range(0), s)).toEqual([]);
  });

  it('holds no data in its graph', () => {
    const b = range(1_000_000, { npartitions: 4 });
    for (const node of b.layer.tasks.values()) expect((node as any).args).toHaveLength(2);
  });

  it('refuses a negative or fractional n', () => {
    expect(() => range(-1)).toThrow(/n must be a non-negative integer/);
    expect(() => range(1.5)).toThrow(/n must be a non-negative integer/);
  });
});
