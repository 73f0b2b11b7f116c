/**
 * Test helpers: compute on every registered scheduler (results must agree with sync),
 * plain-loop references over nested arrays, and the awkward chunkings every op is tried on.
 */
import { type DuskArray, NdArray } from '@dusk/array';
import { compute, schedulerNames } from '@dusk/scheduler';
import { expect } from 'vitest';

/** Schedulers other than sync that tests also run on (when they are registered). */
function otherSchedulers(): { scheduler: string; workers?: number }[] {
  return schedulerNames()
    .filter((s) => s === 'threads' || s === 'processes')
    .map((s) => ({ scheduler: s, workers: 2 }));
}

/** Computes on sync and every local parallel scheduler; checks they agree; returns plain data. */
export async function run(x: DuskArray): Promise<unknown> {
  const [ref] = await compute(x, { scheduler: 'sync' });
  const plain = toPlain(ref);
  for (const opts of otherSchedulers()) {
    const [got] = await compute(x, opts);
    expect(toPlain(got), `on ${opts.scheduler}`).toEqual(plain);
  }
  return plain;
}

export function toPlain(v: unknown): unknown {
  return v instanceof NdArray ? v.toArray() : v;
}

/** Nested arrays of a shape, filled by `f(flatIndex)`. */
export function nested(shape: readonly number[], f: (i: number) => number): any {
  let i = 0;
  const build = (d: number): any =>
    d === shape.length ? f(i++) : Array.from({ length: shape[d]! }, () => build(d + 1));
  return build(0);
}

/** Applies `f` to every leaf of nested arrays. */
export function mapNested(x: any, f: (v: any) => any): any {
  return Array.isArray(x) ? x.map((v) => mapNested(v, f)) : f(x);
}

/** Flattens nested arrays in C order. */
export function flat(x: any): any[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

/** Shape of nested arrays. */
export function shapeOf(x: any): number[] {
  const s: number[] = [];
  while (Array.isArray(x)) {
    s.push(x.length);
    x = x[0];
  }
  return s;
}

/** Element of nested arrays at an index. */
export function at(x: any, idx: readonly number[]): any {
  return idx.reduce((a, i) => a[i], x);
}

/** Closeness for floats computed in different orders. */
export function expectClose(got: unknown, want: unknown, rel = 1e-12): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got)).toBe(true);
    expect((got as unknown[]).length).toBe(want.length);
    want.forEach((w, i) => {
      expectClose((got as unknown[])[i], w, rel);
    });
    return;
  }
  if (typeof want === 'number' && Number.isNaN(want)) {
    expect(Number.isNaN(got as number)).toBe(true);
    return;
  }
  if (typeof want === 'number' && Number.isFinite(want)) {
    expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want)));
    return;
  }
  expect(got).toEqual(want);
}

/**
 * Chunkings of an axis of length n >= 2: one block, uneven last block, single elements, and
 * more blocks than elements (empty blocks included).
 */
export function chunkings1d(n: number): (number | number[])[] {
  return [n, 3, 1, [0, 1, 0, n - 1, 0]];
}

/** The same awkward chunkings for a 2-d array of shape [r, c] (r, c >= 3). */
export function chunkings2d(r: number, c: number): (number | number[])[][] {
  return [
    [r, c],
    [2, 3],
    [1, 1],
    [
      [0, 1, r - 1, 0],
      [c - 2, 0, 2],
    ],
  ];
}
