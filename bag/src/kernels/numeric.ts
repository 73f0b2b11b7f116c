/**
 * Numeric reductions: per-partition partials and their combine and aggregate steps for
 * sum, count, min, max, mean, var and std. Partials are plain data (numbers, short arrays)
 * so they cross threads and processes as they are. Mean and variance merge (n, mean, M2)
 * with Chan's formula, which stays accurate where sum of squares minus square of sums
 * cancels catastrophically.
 */
import { DtypeError, InputError } from '@dusk/core';
import { describe } from './elementwise.js';

function notNumber(op: string, v: unknown, partition: number, i: number): DtypeError {
  return new DtypeError(
    `${op}: element ${i} of partition ${partition} is ${describe(v)}; ${op} needs numbers. ` +
      'Convert first, e.g. bag.map((x) => Number(x)), or pluck the numeric field.',
  );
}

/** Sum of a partition of numbers. */
export function sumPartition(part: unknown[], partition: number): number {
  let s = 0;
  for (let i = 0; i < part.length; i++) {
    const v = part[i];
    if (typeof v !== 'number') throw notNumber('sum', v, partition, i);
    s += v;
  }
  return s;
}

/** Sum of partial sums (also counts). */
export function sumList(partials: number[]): number {
  let s = 0;
  for (let i = 0; i < partials.length; i++) s += partials[i]!;
  return s;
}

/** Number of elements. */
export function countPartition(part: unknown[]): number {
  return part.length;
}

/** `[]` for an empty partition, else `[extreme]`: `max` picks the largest, else the smallest. */
export function extremePartition(part: unknown[], max: boolean): [] | [unknown] {
  if (part.length === 0) return [];
  let best: any = part[0];
  for (let i = 1; i < part.length; i++) {
    const v: any = part[i];
    if (max ? v > best : v < best) best = v;
  }
  return [best];
}

/** Merges `[]`/`[v]` partials of min or max. */
export function extremeCombine(partials: ([] | [unknown])[], max: boolean): [] | [unknown] {
  let has = false;
  let best: any;
  for (const p of partials) {
    if (p.length === 0) continue;
    const v: any = p[0];
    if (!has || (max ? v > best : v < best)) best = v;
    has = true;
  }
  return has ? [best] : [];
}

/** The min or max itself; an empty bag has none. */
export function extremeAggregate(partials: ([] | [unknown])[], max: boolean): unknown {
  const r = extremeCombine(partials, max);
  if (r.length === 0) {
    throw new InputError(
      `${max ? 'max' : 'min'}() of an empty bag: there is no element to return. ` +
        'Check the filters upstream, or use fold with an initial value.',
    );
  }
  return r[0];
}

/** `[n, mean, M2]` of a partition of numbers (Welford). */
export function momentsPartition(part: unknown[], partition: number): [number, number, number] {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < part.length; i++) {
    const v = part[i];
    if (typeof v !== 'number') throw notNumber('mean/var/std', v, partition, i);
    const d = v - mean;
    mean += d / (i + 1);
    m2 += d * (v - mean);
  }
  return [part.length, mean, m2];
}

/** Merges `[n, mean, M2]` partials (Chan et al.). */
export function momentsCombine(partials: [number, number, number][]): [number, number, number] {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const [nb, meanb, m2b] of partials) {
    if (nb === 0) continue;
    const total = n + nb;
    const d = meanb - mean;
    mean += (d * nb) / total;
    m2 += m2b + (d * d * n * nb) / total;
    n = total;
  }
  return [n, mean, m2];
}

/** The mean from moment partials; NaN for an empty bag. */
export function meanAggregate(partials: [number, number, number][]): number {
  const [n, mean] = momentsCombine(partials);
  return n === 0 ? Number.NaN : mean;
}

/** Variance (`sqrt` for std) with `ddof` delta degrees of freedom; NaN when n <= ddof. */
export function varianceAggregate(
  partials: [number, number, number][],
  ddof: number,
  sqrt: boolean,
): number {
  const [n, , m2] = momentsCombine(partials);
  if (n - ddof <= 0) return Number.NaN;
  const v = m2 / (n - ddof);
  return sqrt ? Math.sqrt(v) : v;
}
