/**
 * 64-bit integer arrays (int64, uint64): exact elementwise arithmetic and comparisons
 * between arrays of the same dtype and shape or with integers, negation and absolute
 * value, and exact sum/prod/min/max over all axes. These run as their own blockwise tasks
 * (no fusion, no broadcasting); anything else asks for `.astype('float64')` first.
 */
import { DtypeError, ShapeError } from '@dusk/core';
import type { DuskArray } from './array.js';
import { sameChunks } from './chunks.js';
import type { Dtype } from './dtype.js';
import type { Operand } from './expr.js';
import { mapBlocksWith } from './map-blocks.js';
import { rechunk } from './rechunk.js';

const ARITHMETIC = new Set(['add', 'sub', 'mul', 'floordiv', 'mod', 'maximum', 'minimum']);
const COMPARISON = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

const fmt = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

function refuse(op: string, dtype: Dtype): never {
  throw new DtypeError(
    `${op} is not defined for ${dtype} arrays here (64-bit integers support +, -, *, floordiv, mod, maximum, minimum, comparisons, neg, abs, and sum/prod/min/max over all axes); convert with .astype('float64') first.`,
  );
}

/**
 * `a op b` where one operand is a 64-bit integer array.
 * @example bigBinary('add', ids, 1)
 */
export function bigBinary(
  op: string,
  a: Operand,
  b: Operand,
  isArray: (x: Operand) => x is DuskArray,
): DuskArray {
  const arrays = [a, b].filter(isArray);
  const dtype = arrays[0]!.dtype;
  for (const x of arrays) {
    if (x.dtype !== dtype) {
      throw new DtypeError(
        `${op}: mismatched dtypes ${arrays[0]!.dtype} and ${x.dtype}; convert one with .astype('${dtype}').`,
      );
    }
  }
  if (!ARITHMETIC.has(op) && !COMPARISON.has(op)) refuse(op, dtype);
  const out: Dtype = COMPARISON.has(op) ? 'bool' : dtype;
  if (arrays.length === 2) {
    const [x, y] = arrays as [DuskArray, DuskArray];
    if (x.ndim !== y.ndim || x.shape.some((s, i) => s !== y.shape[i])) {
      throw new ShapeError(
        `${op}: ${dtype} operands need the same shape (no broadcasting for 64-bit integers), got shapes ${fmt(x.shape)} and ${fmt(y.shape)}.`,
      );
    }
    const y2 = sameChunks(x.chunks, y.chunks) ? y : rechunk(y, x.chunks);
    return mapBlocksWith('bigBinaryBlock', [x, y2], {
      dtype: out,
      name: op,
      extra: [op, out, false],
    });
  }
  const scalar = isArray(a) ? b : a;
  if (typeof scalar !== 'number' || !Number.isInteger(scalar)) {
    throw new DtypeError(
      `${op}: a ${dtype} array takes integer operands, got ${String(scalar)}; use .astype('float64') for fractions.`,
    );
  }
  return mapBlocksWith('bigBinaryBlock', arrays, {
    dtype: out,
    name: op,
    extra: [scalar, op, out, !isArray(a)],
  });
}

/** `-x` or `|x|` of a 64-bit integer array. @example bigUnary('neg', ids) */
export function bigUnary(op: string, x: DuskArray): DuskArray {
  if (op !== 'neg' && op !== 'abs') refuse(op, x.dtype);
  return mapBlocksWith('bigUnaryBlock', [x], { dtype: x.dtype, name: op, extra: [op] });
}

/** Refuses a 64-bit integer reduction other than sum/prod/min/max over all axes. */
export function checkBigReduction(op: string, x: DuskArray, axes: readonly number[]): void {
  const ok = ['sum', 'prod', 'min', 'max'].includes(op) && axes.length === x.ndim;
  if (!ok) refuse(axes.length === x.ndim ? op : `${op} along an axis`, x.dtype);
}
