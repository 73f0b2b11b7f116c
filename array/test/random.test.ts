import * as da from '@dusk/array';
import { nextDouble, nextUint32, xoshiro } from '@dusk/array/kernels';
import { describe, expect, it } from 'vitest';
import { flat, run } from './helpers.js';

describe('xoshiro128**', () => {
  it('matches the reference generator from state (1, 2, 3, 4)', () => {
    const g = { s0: 1, s1: 2, s2: 3, s3: 4, spare: 0, hasSpare: false };
    expect([nextUint32(g), nextUint32(g), nextUint32(g), nextUint32(g)]).toEqual([
      11520, 0, 5927040, 70819200,
    ]);
  });

  it('gives each stream its own numbers', () => {
    const a = xoshiro(1, 0);
    const b = xoshiro(1, 1);
    const c = xoshiro(2, 0);
    const first = [nextDouble(a), nextDouble(b), nextDouble(c)];
    expect(new Set(first).size).toBe(3);
  });
});

describe('random arrays', () => {
  it('are the per-chunk streams of seed + chunk index', async () => {
    const x = da.random.random([3, 4], { chunks: [2, 3], seed: 42 });
    const got = (await run(x)) as number[][];
    // Block (1, 0) is stream 2 of the 2 x 2 grid: a 1 x 3 block.
    const g = xoshiro(42, 2);
    expect([got[2]![0], got[2]![1], got[2]![2]]).toEqual([
      nextDouble(g),
      nextDouble(g),
      nextDouble(g),
    ]);
  });

  it('repeat for the same seed and chunks, and differ for another seed', async () => {
    const a = await run(da.random.uniform(5, 500, { size: 50, chunks: 7, seed: 3 }));
    const b = await run(da.random.uniform(5, 500, { size: 50, chunks: 7, seed: 3 }));
    const c = await run(da.random.uniform(5, 500, { size: 50, chunks: 7, seed: 4 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect((a as number[]).every((v) => v >= 5 && v < 500)).toBe(true);
  });

  it('reduce to the same numbers as the materialized array', async () => {
    const x = da.random.normal(10, 2, { shape: [30, 7], chunks: [4, 3], seed: 9 });
    const values = flat(await run(x)) as number[];
    const sum = values.reduce((s, v) => s + v, 0);
    expect(Math.abs((await run(x.sum())) as number) - Math.abs(sum)).toBeLessThan(1e-9);
    expect(await run(x.max())).toBe(Math.max(...values));
  });

  it('randint covers [low, high) with the default int32 dtype', async () => {
    const x = da.random.randint(1, 50, { size: 2000, chunks: 333, seed: 5 });
    expect(x.dtype).toBe('int32');
    const v = (await run(x)) as number[];
    expect(Math.min(...v)).toBe(1);
    expect(Math.max(...v)).toBe(49);
    expect(v.every(Number.isInteger)).toBe(true);
    expect(await run(da.random.randint(3, undefined, { size: 4, seed: 1 }).lt(3).all())).toBe(true);
  });

  it('normal has about the right mean and spread', async () => {
    const x = da.random.normal(3, 2, { size: 200_000, chunks: 30_001, seed: 11 });
    expect(Math.abs(((await run(x.mean())) as number) - 3)).toBeLessThan(0.02);
    expect(Math.abs(((await run(x.std())) as number) - 2)).toBeLessThan(0.02);
  });

  it('a 1e6-element mean is accurate', async () => {
    const m = (await run(
      da.random.random(1_000_000, { chunks: 100_000, seed: 1 }).mean(),
    )) as number;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.002);
  });

  it('rejects bad arguments', () => {
    expect(() => da.random.randint(5, 5)).toThrow(/low < high/);
    expect(() => da.random.random(3, { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => da.random.uniform(0, 1, { size: 3, dtype: 'int32' })).toThrow(
      /float64 or float32/,
    );
  });
});
