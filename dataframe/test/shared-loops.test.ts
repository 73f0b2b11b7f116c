/**
 * Reductions whose generated loops have the same code share one compiled function: a sum
 * after a mean of one column type, a min after a max (a minimum alone is the maximum of the
 * negated values). Counted by watching the loops being created; this file runs in a fresh
 * module cache, so the frame's float32 column is compiled for here first. The negated
 * minimum keeps min's answers exactly: signed zeros as the plain min loop gave them, NaN
 * and nulls skipped, infinities, all-null partitions.
 */
import { fromColumns } from '@dusk/dataframe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let created: string[] = [];
const RealFunction = globalThis.Function;

beforeEach(() => {
  created = [];
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args) {
      const src = String(args.at(-1));
      if (src.includes('return function dusk_')) created.push(src);
      return Reflect.construct(target, args);
    },
  });
});
afterEach(() => {
  globalThis.Function = RealFunction;
});

describe('loops with the same code', () => {
  it('compile once for a max and a min, and for a mean and a sum, of one column type', async () => {
    // 4096 rows in 2 partitions: whole groups of 4 rows, so no ragged twin is needed.
    const x = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i) * 100);
    const df = fromColumns({ x }, { npartitions: 2 });
    await df.col('x').max().compute();
    const afterMax = created.length;
    expect(afterMax).toBe(1);
    expect(await df.col('x').min().compute()).toBe(Math.min(...x));
    expect(created.length).toBe(afterMax);
    await df.col('x').mean().compute();
    const afterMean = created.length;
    expect(afterMean).toBe(afterMax + 1);
    await df.col('x').sum().compute();
    expect(created.length).toBe(afterMean);
  });

  it('keeps min and max exact: signed zeros, infinities, NaN, nulls, empty partitions', async () => {
    // [values, partition sizes, min, max]; the signed zeros as the loops gave them before a
    // minimum alone became a negated maximum (checked against that build).
    const cases: [(number | null)[], number[], number, number][] = [
      [[0, -0, 3], [0, 2, 1], 0, 3],
      [[-0, 0, 3], [1, 1, 1], 0, 3],
      [[0, -0], [2], 0, 0],
      [[5, Number.NaN, null, -Infinity, 2], [2, 0, 3], -Infinity, 5],
      [[Infinity, null, Infinity], [1, 2], Infinity, Infinity],
      [[null, null, Number.NaN], [3], Number.NaN, Number.NaN],
      [[-1, 7, null, 7, -1], [0, 5, 0], -1, 7],
    ];
    for (const [values, sizes, min, max] of cases) {
      const df = fromColumns({ x: values }, { sizes });
      expect(await df.col('x').min().compute(), `min of ${values}`).toBe(min);
      expect(await df.col('x').max().compute(), `max of ${values}`).toBe(max);
    }
  });
});
