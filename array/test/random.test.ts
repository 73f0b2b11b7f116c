import * as da from '@dusk/array';
import { fillDoubles, nextDouble, sumDoubles, type Xoshiro, xoshiro } from '@dusk/array/kernels';
import { describe, expect, it } from 'vitest';
import { flat, run } from './helpers.js';

const M64 = (1n << 64n) - 1n;

/** An independent BigInt model of a stream: splitmix64 seeding, four xoshiro256+ lanes. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** xoshiro256+ from Vigna's C reference: returns s0 + s3, then steps the state. */
function refNext(s: bigint[]): bigint {
  const out = (s[0]! + s[3]!) & M64;
  const t = (s[1]! << 17n) & M64;
  s[2]! ^= s[0]!;
  s[3]! ^= s[1]!;
  s[1]! ^= s[2]!;
  s[0]! ^= s[3]!;
  s[2]! ^= t;
  s[3] = ((s[3]! << 45n) | (s[3]! >> 19n)) & M64;
  return out;
}

function refStream(seed: number, stream: number, n: number): number[] {
  let x = mix64(mix64(BigInt(seed) + 1n) ^ BigInt(stream));
  const lanes = [0, 1, 2, 3].map(() =>
    [0, 1, 2, 3].map(() => {
      x = (x + 0x9e3779b97f4a7c15n) & M64;
      return mix64(x);
    }),
  );
  return Array.from({ length: n }, (_, j) => Number(refNext(lanes[j % 4]!) >> 12n) / 2 ** 52);
}

function doubles(g: Xoshiro, n: number): number[] {
  const out = new Float64Array(n);
  fillDoubles(g, out, n);
  return [...out];
}

describe('xoshiro256+ streams', () => {
  it('the reference model steps like the C reference from state (1, 2, 3, 4)', () => {
    const s = [1n, 2n, 3n, 4n];
    expect([refNext(s), refNext(s)]).toEqual([5n, 211106232532999n]);
  });

  it('give the numbers of the reference model (wasm SIMD lanes, seeding, interleaving)', () => {
    for (const [seed, stream] of [
      [0, 0],
      [42, 2],
      [4294967295, 123456789],
    ] as const)
      expect(doubles(xoshiro(seed, stream), 37)).toEqual(refStream(seed, stream, 37));
  });

  it('are doubles in [0, 1) with 52 random bits', () => {
    const v = doubles(xoshiro(7, 3), 10_000);
    expect(v.every((d) => d >= 0 && d < 1 && Number.isInteger(d * 2 ** 52))).toBe(true);
    // The 52nd bit varies: odd multiples of 2^-52 occur.
    expect(v.some((d) => (d * 2 ** 52) % 2 === 1)).toBe(true);
  });

  it('do not depend on how a stream is read: pieces, single values, sums', () => {
    const whole = doubles(xoshiro(5, 1), 9000);
    const g = xoshiro(5, 1);
    const pieces = [...doubles(g, 1), ...doubles(g, 3), ...doubles(g, 5), ...doubles(g, 8000)];
    pieces.push(...Array.from({ length: 991 }, () => nextDouble(g)));
    expect(pieces).toEqual(whole);
    const h = xoshiro(5, 1);
    const sums = [sumDoubles(h, 3), sumDoubles(h, 8190), sumDoubles(h, 807)];
    const ref = [whole.slice(0, 3), whole.slice(3, 8193), whole.slice(8193)].map((p) =>
      p.reduce((a, b) => a + b, 0),
    );
    for (const [i, s] of sums.entries()) expect(s).toBeCloseTo(ref[i]!, 9);
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

  it('randint makes the dtype asked for (int8 codes) with the same values as int32', async () => {
    const opts = { size: 1000, chunks: 300, seed: 8 };
    const x = da.random.randint(0, 5, { ...opts, dtype: 'int8' });
    expect(x.dtype).toBe('int8');
    const got = await x.compute({ scheduler: 'sync' });
    expect(got.data).toBeInstanceOf(Int8Array);
    expect(await run(x)).toEqual(await run(da.random.randint(0, 5, opts)));
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
