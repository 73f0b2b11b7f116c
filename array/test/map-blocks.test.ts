import * as da from '@dusk/array';
import { delayed, FreeVariableError } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

describe('mapBlocks', () => {
  it('applies a pure function to every block', async () => {
    const x = da.arange(10, { chunks: 3 });
    const y = x.mapBlocks((c) => c.data.map((v: number) => v * v), { dtype: 'int32' });
    expect(await run(y)).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
  });

  it('passes matching blocks of other arrays and converts to the declared dtype', async () => {
    const x = da.arange(6, { chunks: 2 });
    const y = da.ones(6, { chunks: 3 });
    const z = x.mapBlocks(
      (a, b) => Float64Array.from(a.data, (v, i) => v + b.data[i]! / 2),
      { dtype: 'float32' },
      y,
    );
    expect(z.dtype).toBe('float32');
    expect(await run(z)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
  });

  it('accepts new block shapes when told the chunks', async () => {
    const x = da.arange(6, { chunks: 3 });
    const firsts = x.mapBlocks(
      (c) => ({ dtype: 'float64', shape: [1], data: Float64Array.of(c.data[0]!) }),
      {
        dtype: 'float64',
        chunks: [[1, 1]],
      },
    );
    expect(await run(firsts)).toEqual([0, 3]);
  });

  it('reports a wrong shape with the task key', async () => {
    const x = da.arange(6, { chunks: 3 });
    const bad = x.mapBlocks(() => new Float64Array(2), { dtype: 'float64' });
    await expect(bad.compute()).rejects.toThrow(/returned 2 elements for shape \(3\)/);
  });

  it('refuses closures over outside variables', () => {
    const k = 3;
    expect(() =>
      da.arange(3).mapBlocks((c) => c.data.map((v: number) => v * k), { dtype: 'int32' }),
    ).toThrow(FreeVariableError);
  });
});

describe('fromDelayed and toDelayed', () => {
  it('round-trips blocks through Delayed', async () => {
    const make = delayed(() => Float64Array.of(1, 2, 3));
    const x = da.fromDelayed(make(), { shape: [3], dtype: 'float64' });
    expect(await run(x.mul(2))).toEqual([2, 4, 6]);
    const parts = da.arange(5, { chunks: 2 }).toDelayed();
    expect(parts).toHaveLength(3);
    const last = await parts[2]!.compute();
    expect(Array.from(last.data)).toEqual([4]);
    expect(last.shape).toEqual([1]);
  });
});

describe('persist', () => {
  it('keeps computed blocks under the same keys', async () => {
    const x = da.random.random(20, { chunks: 6, seed: 2 });
    const kept = await x.persist();
    expect(kept.keys).toEqual(x.keys);
    expect([...kept.layer.tasks.values()].every((n) => 'value' in n)).toBe(true);
    expect(await run(kept.mul(2))).toEqual(((await run(x)) as number[]).map((v) => v * 2));
  });
});
