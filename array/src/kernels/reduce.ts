/**
 * Reduction kernels. Each block is reduced to a small partial record ({n, a, b}: counts,
 * totals, means and squared deviations, values and indices), partials are combined in a
 * tree, and the last one is finalized into an output block. Sums are careful: pairwise
 * within a tile, compensated (Neumaier) across tiles and partials.
 */
import { asFloat64, type Chunk, cStrides, type Dtype, emptyChunk, sizeOf } from './chunk.js';
import { type BlockProgram, TileEvaluator } from './expr-eval.js';
import { TILE, writeTile } from './generate.js';

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
}

/** Where a block sits in the whole array: for argmin/argmax global indices. */
export interface BlockPlace {
  readonly offset: readonly number[];
  readonly fullShape: readonly number[];
}

function identityOf(op: ReduceOp): number {
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

const PAIRWISE_BASE = 128;

/** Pairwise sum of `x[s..s+n)`: error grows with log n, not n. */
export function pairwiseSum(x: Float64Array, s: number, n: number): number {
  if (n <= PAIRWISE_BASE) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      a0 += x[s + i]!;
      a1 += x[s + i + 1]!;
      a2 += x[s + i + 2]!;
      a3 += x[s + i + 3]!;
    }
    for (; i < n; i++) a0 += x[s + i]!;
    return a0 + a1 + (a2 + a3);
  }
  const h = (n >> 1) & ~7;
  return pairwiseSum(x, s, h) + pairwiseSum(x, s + h, n - h);
}

/** Accumulates whole tiles of a block for a reduction over all its axes. */
class FullAccumulator {
  a: number;
  b = 0;
  c = 0;
  n = 0;
  best = -1;
  constructor(private readonly op: ReduceOp) {
    this.a = identityOf(op);
  }

  push(t: Float64Array, len: number): void {
    switch (this.op) {
      case 'sum':
      case 'mean':
        this.addSum(pairwiseSum(t, 0, len));
        break;
      case 'countNonzero': {
        let k = 0;
        for (let i = 0; i < len; i++) if (t[i] !== 0) k++;
        this.a += k;
        break;
      }
      case 'var':
      case 'std':
        this.pushMoments(t, len);
        break;
      default:
        this.pushOrder(t, len);
    }
    this.n += len;
  }

  private addSum(x: number): void {
    const t = this.a + x;
    this.c += Math.abs(this.a) >= Math.abs(x) ? this.a - t + x : x - t + this.a;
    this.a = t;
  }

  private pushMoments(t: Float64Array, len: number): void {
    if (len === 0) return;
    const mean = pairwiseSum(t, 0, len) / len;
    let m2 = 0;
    for (let i = 0; i < len; i++) {
      const d = t[i]! - mean;
      m2 += d * d;
    }
    const merged = chan(this.n, this.a, this.b, len, mean, m2);
    this.a = merged[0];
    this.b = merged[1];
  }

  private pushOrder(t: Float64Array, len: number): void {
    let a = this.a;
    switch (this.op) {
      case 'prod':
        for (let i = 0; i < len; i++) a *= t[i]!;
        break;
      case 'min':
        for (let i = 0; i < len; i++)
          if (t[i]! < a || Number.isNaN(t[i])) a = Number.isNaN(a) ? a : t[i]!;
        break;
      case 'max':
        for (let i = 0; i < len; i++)
          if (t[i]! > a || Number.isNaN(t[i])) a = Number.isNaN(a) ? a : t[i]!;
        break;
      case 'argmin':
        for (let i = 0; i < len; i++) {
          const v = t[i]!;
          if (!Number.isNaN(a) && (v < a || Number.isNaN(v) || this.best < 0)) {
            a = v;
            this.best = this.n + i;
          }
        }
        break;
      case 'argmax':
        for (let i = 0; i < len; i++) {
          const v = t[i]!;
          if (!Number.isNaN(a) && (v > a || Number.isNaN(v) || this.best < 0)) {
            a = v;
            this.best = this.n + i;
          }
        }
        break;
      case 'any':
        for (let i = 0; i < len && a === 0; i++) if (t[i] !== 0) a = 1;
        break;
      case 'all':
        for (let i = 0; i < len && a === 1; i++) if (t[i] === 0) a = 0;
        break;
    }
    this.a = a;
  }

  result(ndim: number, blockShape: readonly number[], place?: BlockPlace): Partial {
    const shape = new Array<number>(ndim).fill(1);
    const one = (v: number) => Float64Array.of(v);
    if (this.op === 'sum' || this.op === 'mean')
      return { n: this.n, shape, a: one(this.a + this.c), c: one(0) };
    if (this.op === 'var' || this.op === 'std')
      return { n: this.n, shape, a: one(this.a), b: one(this.b) };
    if (this.op === 'argmin' || this.op === 'argmax') {
      const idx = this.best < 0 ? -1 : globalFlatIndex(this.best, blockShape, place);
      return { n: this.n, shape, a: one(this.a), b: one(idx) };
    }
    return { n: this.n, shape, a: one(this.a) };
  }
}

/** Chan et al.'s merge of (count, mean, M2) pairs. */
function chan(
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

function globalFlatIndex(local: number, blockShape: readonly number[], place?: BlockPlace): number {
  if (!place) return local;
  let flat = 0;
  let rest = local;
  const idx = new Array<number>(blockShape.length);
  for (let d = blockShape.length - 1; d >= 0; d--) {
    idx[d] = rest % blockShape[d]!;
    rest = Math.floor(rest / blockShape[d]!);
  }
  for (let d = 0; d < blockShape.length; d++)
    flat = flat * place.fullShape[d]! + place.offset[d]! + idx[d]!;
  return flat;
}

/**
 * Kernel: reduces a fused elementwise block over all its axes without materialising it.
 * @example reduceProgram(program, [], 'mean') // { n, shape: [1], a: [total], c }
 */
export function reduceProgram(
  program: BlockProgram,
  inputs: readonly Chunk[],
  op: ReduceOp,
  place?: BlockPlace,
): Partial {
  const ev = new TileEvaluator(program, inputs);
  const acc = new FullAccumulator(op);
  const n = ev.length;
  for (let s = 0; s < n; s += TILE) {
    const len = Math.min(TILE, n - s);
    acc.push(ev.evalNode(s, len), len);
  }
  return acc.result(ev.shape.length, ev.shape, place);
}

/**
 * Kernel: reduces a block over `axes` (sorted; all axes for a full reduction).
 * @example reduceChunk(chunk, 'sum', [0])
 */
export function reduceChunk(
  chunk: Chunk,
  op: ReduceOp,
  axes: readonly number[],
  place?: BlockPlace,
): Partial {
  const shape = chunk.shape;
  const x = asFloat64(chunk.data);
  if (axes.length === shape.length) {
    const acc = new FullAccumulator(op);
    for (let s = 0; s < x.length; s += TILE) {
      const len = Math.min(TILE, x.length - s);
      acc.push(x.subarray(s, s + len), len);
    }
    return acc.result(shape.length, shape, place);
  }
  return reduceSomeAxes(x, shape, op, axes, place);
}

function reduceSomeAxes(
  x: Float64Array,
  shape: readonly number[],
  op: ReduceOp,
  axes: readonly number[],
  place?: BlockPlace,
): Partial {
  const nd = shape.length;
  const reduced = shape.map((_, d) => axes.includes(d));
  const outShape = shape.map((s, d) => (reduced[d] ? 1 : s));
  const cs = cStrides(outShape);
  const ostr = shape.map((_, d) => (reduced[d] ? 0 : cs[d]!));
  const m = sizeOf(outShape);
  const a = new Float64Array(m).fill(identityOf(op));
  const b = new Float64Array(m);
  const c = new Float64Array(m);
  const k = new Float64Array(m);
  const argAxis = axes[0]!;
  const argOffset = place ? place.offset[argAxis]! : 0;
  const last = nd - 1;
  const nLast = shape[last]!;
  const rows = nLast === 0 ? 0 : x.length / nLast;
  const idx = new Array<number>(nd).fill(0);
  for (let r = 0; r < rows; r++) {
    let base = 0;
    for (let d = 0; d < last; d++) base += idx[d]! * ostr[d]!;
    const pos = argAxis === last ? -1 : argOffset + idx[argAxis]!;
    reduceRow(op, x, r * nLast, nLast, a, b, c, k, base, ostr[last]!, pos, argOffset);
    for (let d = last - 1; d >= 0; d--) {
      idx[d] = idx[d]! + 1;
      if (idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  const n = sizeOf(axes.map((d) => shape[d]!));
  if (op === 'sum' || op === 'mean') return { n, shape: outShape, a, c };
  if (op === 'var' || op === 'std' || op === 'argmin' || op === 'argmax')
    return { n, shape: outShape, a, b };
  return { n, shape: outShape, a };
}

/** One row along the last axis; `step` is 0 when the last axis is reduced. */
function reduceRow(
  op: ReduceOp,
  x: Float64Array,
  s: number,
  len: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  k: Float64Array,
  base: number,
  step: number,
  pos: number,
  lastOffset: number,
) {
  for (let j = 0; j < len; j++) {
    const v = x[s + j]!;
    const o = base + j * step;
    switch (op) {
      case 'sum':
      case 'mean': {
        const y = v - c[o]!;
        const t = a[o]! + y;
        c[o] = t - a[o]! - y;
        a[o] = t;
        break;
      }
      case 'countNonzero':
        if (v !== 0) a[o]!++;
        break;
      case 'prod':
        a[o]! *= v;
        break;
      case 'min':
        if (!Number.isNaN(a[o]) && (v < a[o]! || Number.isNaN(v))) a[o] = v;
        break;
      case 'max':
        if (!Number.isNaN(a[o]) && (v > a[o]! || Number.isNaN(v))) a[o] = v;
        break;
      case 'any':
        if (v !== 0) a[o] = 1;
        break;
      case 'all':
        if (v === 0) a[o] = 0;
        break;
      case 'var':
      case 'std': {
        const n = ++k[o]!;
        const d = v - a[o]!;
        a[o]! += d / n;
        b[o]! += d * (v - a[o]!);
        break;
      }
      default: {
        const p = pos < 0 ? lastOffset + j : pos;
        const better = op === 'argmin' ? v < a[o]! : v > a[o]!;
        if (!Number.isNaN(a[o]) && (better || Number.isNaN(v) || k[o] === 0)) {
          a[o] = v;
          b[o] = p;
        }
        k[o] = 1;
      }
    }
  }
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

function combineArg(p: Partial, q: Partial, op: ReduceOp, n: number): Partial {
  const m = p.a.length;
  const a = new Float64Array(m);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = p.a[i]!;
    const y = q.a[i]!;
    // The left partial wins ties (first occurrence); a NaN wins over numbers (NumPy).
    const takeRight =
      p.b![i]! < 0 ||
      (!Number.isNaN(x) && (Number.isNaN(y) || (op === 'argmin' ? y < x : y > x)) && q.b![i]! >= 0);
    a[i] = takeRight ? y : x;
    b[i] = takeRight ? q.b![i]! : p.b![i]!;
  }
  return { n, shape: p.shape, a, b };
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
): Chunk {
  const out = emptyChunk(dtype, shape);
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
