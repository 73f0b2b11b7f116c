/**
 * Reducing a block over all of its axes, tile by tile: pairwise sums inside a tile,
 * compensated across tiles, two-pass moments per tile merged with Chan's formula. A fused
 * expression is reduced without ever being stored as a chunk.
 */
import { asFloat64, type Chunk } from './chunk.js';
import { type BlockProgram, TileEvaluator } from './expr-eval.js';
import { TILE } from './generate.js';
import { type BlockPlace, chan, identityOf, type Partial, type ReduceOp } from './partial.js';
import { reduceSomeAxes } from './reduce-axes.js';

const PAIRWISE_BASE = 128;

/**
 * Elements per call when a generator sums without storing (nothing stays in cache between
 * calls, so tiles need not be small): 64Ki makes the per-call cost (~0.2 us: the stream's
 * state in and out of wasm memory) negligible, and each call's sum is exact to 2^-52.
 */
const SUM_TILE = 65536;

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

  /** Adds the sum of `len` values computed elsewhere (a tile summed as it was generated). */
  pushSum(x: number, len: number): void {
    this.addSum(x);
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
  const direct = (op === 'sum' || op === 'mean') && ev.sumTile;
  if (direct)
    for (let s = 0; s < n; s += SUM_TILE) {
      const len = Math.min(SUM_TILE, n - s);
      acc.pushSum(direct(len), len);
    }
  else
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
