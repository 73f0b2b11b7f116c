import { Bag, range } from '@dusk/bag';
import { COLLECTION, materialize } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { bagOfParts } from './helpers.js';

describe('Bag', () => {
  it('is lazy: building runs nothing, compute returns an array', async () => {
    const b = range(4, { npartitions: 2 }).map((x) => {
      throw new Error(`ran ${x}`);
    });
    expect(b).toBeInstanceOf(Bag);
    await expect(b.compute()).rejects.toThrow(/ran \d/);
  });

  it('exposes partitions as keys name:i, and builds the same keys for the same expression', () => {
    const a = range(6, { npartitions: 3 })
      .map((x) => x + 1)
      .filter((x) => x > 2);
    const b = range(6, { npartitions: 3 })
      .map((x) => x + 1)
      .filter((x) => x > 2);
    expect(a.name).toBe(b.name);
    expect(a[COLLECTION]().keys).toEqual([`${a.name}:0`, `${a.name}:1`, `${a.name}:2`]);
    expect(range(6, { npartitions: 3 }).map((x) => x + 2).name).not.toBe(
      range(6, { npartitions: 3 }).map((x) => x + 1).name,
    );
  });

  it('one layer per operation, the whole graph reachable from the top', () => {
    const b = range(6, { npartitions: 3 })
      .map((x) => x + 1)
      .filter((x) => x > 2);
    expect(b.layer.tasks.size).toBe(3);
    expect(materialize([b.layer]).size).toBe(9);
  });

  it('fuses a chain of element-wise steps into one task per partition', async () => {
    let tasks = 0;
    const b = range(6, { npartitions: 3 })
      .map((x) => x + 1)
      .filter((x) => x > 2)
      .map((x) => x * 10);
    await b.compute({
      onProgress: (p) => {
        tasks = p.total;
      },
    });
    expect(tasks).toBe(3);
  });

  it('computes together with other collections, sharing work', async () => {
    const b = range(5, { npartitions: 2 }).map((x) => x * x);
    expect(await compute(b, b.sum(), b.count())).toEqual([[0, 1, 4, 9, 16], 30, 5]);
  });

  it('persists its partitions', async () => {
    const b = await range(4, { npartitions: 2 })
      .map((x) => x * 3)
      .persist();
    expect(b.npartitions).toBe(2);
    expect(materialize([b.layer]).size).toBe(2);
    expect(await b.sum().compute()).toBe(18);
  });

  it('take reads the first partitions only', async () => {
    const b = bagOfParts([[1, 2], [3], [4, 5]]);
    expect(await b.take(5)).toEqual([1, 2]);
    expect(await b.take(4, { npartitions: -1 })).toEqual([1, 2, 3, 4]);
    expect(await b.take(1)).toEqual([1]);
  });

  it('prints its name and partition count', () => {
    expect(String(range(3, { npartitions: 2 }))).toMatch(/^Bag<range-[0-9a-f]+, npartitions=2>$/);
  });
});
