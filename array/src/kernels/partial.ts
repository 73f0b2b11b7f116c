/**
 * Partial reduction records and their algebra: what a block reduces to, how two
 * neighbouring partials combine (Chan's formula for moments, Neumaier-compensated sums,
 * first-occurrence ties for argmin/argmax), and how the last one becomes an output block.
 */

import { bigCombine } from './big.js';
import { type Chunk, type Dtype, emptyChunk } from './chunk.js';
import { writeTile } from './generate.js';

export type ReduceOp =
  | 'sum'
  | 'prod'
  | 'mean'
  | 'min'
  | 'max'
  | 'var'
  | 'std'
  | 'argmin'
  | 'argmax'
  | 'any'
  | 'all'
  | 'countNonzero';

/**
 * A partial result over `n` elements per output cell, for a block of `shape` (reduced axes
 * have length 1). `a`: total, product, value or mean; `b`: squared deviations or index;
 * `c`: compensation of a sum.
 */
export interface Partial {
  readonly n: number;
  readonly shape: readonly number[];
  readonly a: Float64Array;
  readonly b?: Float64Array;
  readonly c?: Float64Array;
  /** A 64-bit integer reduction: `exact` holds the value as a decimal string (none: empty block). */
  readonly big?: boolean;
  readonly exact?: string;
}

/** Where a block sits in the whole array: for argmin/argmax global indices. */
export interface BlockPlace {
  readonly offset: readonly number[];
  readonly fullShape: readonly number[];
}

/** The starting value of an accumulator. */
export function identityOf(op: ReduceOp): number {
  switch (op) {
    case 'prod':
    case 'all':
      return 1;
    case 'min':
    case 'argmin':
      return Number.POSITIVE_INFINITY;
    case 'max':
    case 'argmax':
      return Number.NEGATIVE_INFINITY;
    default:
      return 0;
  }
}

/** Chan et al.'s merge of (count, mean, M2) pairs. */
export function chan(
  na: number,
  ma: number,
  m2a: number,
  nb: number,
  mb: number,
  m2b: number,
): [number, number] {
  if (na === 0) return [mb, m2b];
  if (nb === 0) return [ma, m2a];
  const n = na + nb;
  const d = mb - ma;
  return [ma + (d * nb) / n, m2a + m2b + (d * d * na * nb) / n];
}

/**
 * Kernel: combines partials of neighbouring blocks (same shape) into one.
 * @example combinePartials([p0, p1, p2], 'mean')
 */
export function combinePartials(parts: readonly Partial[], op: ReduceOp): Partial {
  let acc = parts[0]!;
  for (let i = 1; i < parts.length; i++) acc = combineTwo(acc, parts[i]!, op);
  return acc;
}

function combineTwo(p: Partial, q: Partial, op: ReduceOp): Partial {
  if (p.big || q.big) {
    return combineExact(p, q, op);
  }
  const m = p.a.length;
  const a = new Float64Array(m);
  const n = p.n + q.n;
  if (op === 'var' || op === 'std') {
    const b = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const r = chan(p.n, p.a[i]!, p.b![i]!, q.n, q.a[i]!, q.b![i]!);
      a[i] = r[0];
      b[i] = r[1];
    }
    return { n, shape: p.shape, a, b };
  }
  if (op === 'argmin' || op === 'argmax') return combineArg(p, q, op, n);
  if (op === 'sum' || op === 'mean') {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      // Neumaier: add the partials' compensations, then keep the rounding error of this add.
      const x = p.a[i]!;
      const y = q.a[i]!;
      const t = x + y;
      c[i] =
        (p.c?.[i] ?? 0) + (q.c?.[i] ?? 0) - (Math.abs(x) >= Math.abs(y) ? x - t + y : y - t + x);
      a[i] = t;
    }
    return { n, shape: p.shape, a, c };
  }
  for (let i = 0; i < m; i++) a[i] = combineValue(op, p.a[i]!, q.a[i]!);
  return { n, shape: p.shape, a };
}

function combineValue(op: ReduceOp, x: number, y: number): number {
  switch (op) {
    case 'prod':
      return x * y;
    case 'min':
      return Number.isNaN(x) || x <= y ? x : y;
    case 'max':
      return Number.isNaN(x) || x >= y ? x : y;
    case 'any':
      return x !== 0 || y !== 0 ? 1 : 0;
    case 'all':
      return x !== 0 && y !== 0 ? 1 : 0;
    default:
      return x + y;
  }
}

/**
 * Whether (y, at index qi) beats (x, at pi): NumPy's first occurrence, so equal values go
 * to the smaller index (block order is not index order in n-d), and NaN beats numbers.
 * An index below 0 marks a partial that saw no element.
 */
function rightWins(op: ReduceOp, x: number, pi: number, y: number, qi: number): boolean {
  if (qi < 0) return false;
  if (pi < 0) return true;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(y) && (!Number.isNaN(x) || qi < pi);
  return (op === 'argmin' ? y < x : y > x) || (y === x && qi < pi);
}

function combineArg(p: Partial, q: Partial, op: ReduceOp, n: number): Partial {
  const m = p.a.length;
  const a = new Float64Array(m);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = p.a[i]!;
    const y = q.a[i]!;
    const takeRight = rightWins(op, x, p.b![i]!, y, q.b![i]!);
    a[i] = takeRight ? y : x;
    b[i] = takeRight ? q.b![i]! : p.b![i]!;
  }
  return { n, shape: p.shape, a, b };
}

function combineExact(p: Partial, q: Partial, op: ReduceOp): Partial {
  const n = p.n + q.n;
  if (p.exact === undefined) return { ...q, n };
  if (q.exact === undefined) return { ...p, n };
  const v = bigCombine(op, BigInt(p.exact), BigInt(q.exact));
  return { n, shape: p.shape, a: Float64Array.of(1), big: true, exact: v.toString() };
}

/**
 * Kernel: turns the last partial into an output block of `shape` and `dtype`.
 * @example finalizePartial(p, 'var', [], 'float64', 1)
 */
export function finalizePartial(
  p: Partial,
  op: ReduceOp,
  shape: readonly number[],
  dtype: Dtype,
  ddof = 0,
  from?: readonly number[],
): Chunk {
  // Unknown (NaN) lengths come from the partial: `from[i]` is output axis i's partial axis.
  if (from) shape = shape.map((n, i) => (Number.isNaN(n) ? p.shape[from[i]!]! : n));
  const out = emptyChunk(dtype, shape);
  if (p.big) {
    (out.data as BigInt64Array)[0] = BigInt(p.exact ?? 0);
    return out;
  }
  const m = p.a.length;
  const v = new Float64Array(m);
  for (let i = 0; i < m; i++) v[i] = finalValue(p, op, i, ddof);
  writeTile(out, v, 0, m);
  return out;
}

function finalValue(p: Partial, op: ReduceOp, i: number, ddof: number): number {
  switch (op) {
    case 'sum':
      return p.a[i]! + (p.c?.[i] ?? 0);
    case 'mean':
      return (p.a[i]! + (p.c?.[i] ?? 0)) / p.n;
    case 'var':
      return p.b![i]! / Math.max(0, p.n - ddof);
    case 'std':
      return Math.sqrt(p.b![i]! / Math.max(0, p.n - ddof));
    case 'argmin':
    case 'argmax':
      return p.b![i]!;
    default:
      return p.a[i]!;
  }
}
