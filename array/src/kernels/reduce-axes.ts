/**
 * Reducing a block over some of its axes: one pass in C order, row by row along the last
 * axis, accumulating into a partial per output cell (Kahan sums, Welford moments).
 */
import { cStrides, sizeOf } from './chunk.js';
import { type BlockPlace, identityOf, type Partial, type ReduceOp } from './partial.js';

export function reduceSomeAxes(
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
  // Arg reductions mark cells no element reached with index -1 (an empty block).
  const b = new Float64Array(m).fill(op === 'argmin' || op === 'argmax' ? -1 : 0);
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
