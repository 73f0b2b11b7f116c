/**
 * Elementwise operations: arithmetic, comparisons, logic, unary math, `where`, `clip`,
 * `astype` and `transpose`. Each returns an array whose expression composes its inputs'
 * (blockwise fusion, see expr.ts), with the dtype NumPy would give.
 */
import { DtypeError, InvalidArgumentError, tokenize } from '@dusk/core';
import { DuskArray, type Leaf } from './array.js';
import { bigBinary, bigUnary } from './big.js';
import { type Dtype, isBigDtype, isFloat, promoteScalar, promoteTypes } from './dtype.js';
import { AxisError } from './errors.js';
import { combineExpr, exprLayer, type Operand, partsOf, unifyLeaves } from './expr.js';
import { DTYPE_CTORS } from './kernels/chunk.js';
import type { ExprTree } from './kernels/expr-eval.js';
import type { BinaryOp, UnaryOp } from './kernels/ops.js';
import { mapBlocksWith } from './map-blocks.js';
import { rechunk } from './rechunk.js';

const isArray = (x: Operand): x is DuskArray => x instanceof DuskArray;

const COMPARISONS = new Set([
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
  'xor',
  'not',
  'isnan',
]);
const FLOAT_RESULT = new Set(['sqrt', 'exp', 'log', 'sin', 'cos', 'tan', 'div']);

function checkOperand(x: unknown, where: string): Operand {
  if (isArray(x as Operand) || typeof x === 'number' || typeof x === 'boolean') return x as Operand;
  throw new InvalidArgumentError(
    `${where}: operands must be DuskArrays, numbers or booleans, got ${typeof x}.`,
  );
}

/** The dtype of `op` over operands (weak scalars), refusing 64-bit integer arithmetic. */
function resultDtype(op: string, operands: readonly Operand[], where: string): Dtype {
  const arrays = operands.filter(isArray);
  let d = arrays[0]!.dtype;
  for (const a of arrays.slice(1)) d = promoteTypes(d, a.dtype, where);
  for (const s of operands) if (!isArray(s)) d = promoteScalar(d, s);
  if (isBigDtype(d)) {
    throw new DtypeError(
      `${where}: ${d} arrays do not support arithmetic here; convert with .astype('float64') first.`,
    );
  }
  if (COMPARISONS.has(op)) return 'bool';
  if (FLOAT_RESULT.has(op)) return d === 'float32' ? 'float32' : 'float64';
  if (d === 'bool' && op !== 'maximum' && op !== 'minimum' && op !== 'where') return 'uint8';
  return d;
}

/** Builds the fused array for `op` over operands. */
function build(
  op: string,
  operands: readonly Operand[],
  dtype: Dtype,
  where: string,
  params?: readonly number[],
): DuskArray {
  const { tree, leaves, shape, token } = combineExpr(op, operands, isArray, where, params);
  return fromTree(`${op}-${tokenize(token, dtype)}`, tree, leaves, shape, dtype, where);
}

function fromTree(
  name: string,
  tree: ExprTree,
  leaves: Leaf[],
  shape: readonly number[],
  dtype: Dtype,
  where: string,
): DuskArray {
  const u = unifyLeaves(leaves, shape, rechunk, where);
  return new DuskArray(
    name,
    shape,
    u.chunks,
    dtype,
    () => exprLayer(name, tree, u.leaves, u.chunks, dtype),
    {
      kind: 'expr',
      tree,
      leaves: u.leaves,
    },
  );
}

/** `a op b` with broadcasting. @example binaryOp('add', x, 1) */
export function binaryOp(op: BinaryOp, a: Operand, b: Operand): DuskArray {
  const where = op;
  const operands = [checkOperand(a, where), checkOperand(b, where)];
  if (!operands.some(isArray))
    throw new InvalidArgumentError(`${where}: at least one operand must be a DuskArray.`);
  if (operands.some((x) => isArray(x) && isBigDtype(x.dtype))) {
    if (operands.some((x) => isArray(x) && !isBigDtype(x.dtype))) resultDtype(op, operands, where);
    return bigBinary(op, operands[0]!, operands[1]!, isArray);
  }
  return build(op, operands, resultDtype(op, operands, where), where);
}

/** `op(x)` elementwise. @example unaryOp('sqrt', x) */
export function unaryOp(op: UnaryOp, x: DuskArray): DuskArray {
  if (isBigDtype(x.dtype)) return bigUnary(op, x);
  return build(op, [x], resultDtype(op, [x], op), op);
}

function scalarDtype(values: readonly Operand[]): Dtype {
  if (values.every((v) => typeof v === 'boolean')) return 'bool';
  return values.every((v) => Number.isInteger(Number(v))) ? 'int32' : 'float64';
}

/** Values limited to [min, max]. @example clip(x, 0, 1) */
export function clip(x: DuskArray, min: number, max: number): DuskArray {
  const d = resultDtype('clip', [x], 'clip');
  return build(
    'clip',
    [x],
    isFloat(d) || (Number.isInteger(min) && Number.isInteger(max)) ? d : 'float64',
    'clip',
    [min, max],
  );
}

/**
 * `cond ? a : b` elementwise, with broadcasting.
 * @example where(x.gt(0), x, 0)
 */
export function where(cond: Operand, a: Operand, b: Operand): DuskArray {
  const operands = [cond, a, b].map((o) => checkOperand(o, 'where'));
  if (!operands.some(isArray))
    throw new InvalidArgumentError('where: at least one operand must be a DuskArray.');
  const values = operands.slice(1);
  const dtype = values.some(isArray) ? resultDtype('where', values, 'where') : scalarDtype(values);
  return build('where', operands, dtype, 'where');
}

/**
 * The same values in another dtype (floats to integers truncate toward zero; integers
 * wrap around like NumPy's `astype`).
 * @example x.astype('int32')
 */
export function astype(x: DuskArray, dtype: Dtype): DuskArray {
  if (!(dtype in DTYPE_CTORS)) throw new DtypeError(`astype: unknown dtype '${dtype}'.`);
  if (x.dtype === dtype) return x;
  if (isBigDtype(dtype) || isBigDtype(x.dtype)) {
    return mapBlocksWith('castBlock', [x], { dtype, name: 'astype', extra: [dtype] });
  }
  const p = partsOf(x);
  const code = Object.keys(DTYPE_CTORS).indexOf(dtype);
  const tree: ExprTree =
    dtype === 'bool' ? { op: 'bool', a: [p.tree] } : { op: 'cast', a: [p.tree], p: [code] };
  return fromTree(
    `astype-${tokenize(x.name, dtype)}`,
    tree,
    [...p.leaves],
    x.shape,
    dtype,
    'astype',
  );
}

/** Normalizes an axis into [0, ndim), or throws AxisError naming it. @example normalizeAxis(-1, 3, 'sum') // 2 */
export function normalizeAxis(axis: number, ndim: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim)
    throw new AxisError(axis, ndim, where);
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Axes permuted (reversed by default); costs nothing until used: a transposed block is
 * read through strides by whatever consumes it.
 * @example transpose(x, [1, 0])
 */
export function transpose(x: DuskArray, axes?: readonly number[]): DuskArray {
  const perm = axes
    ? axes.map((a) => normalizeAxis(a, x.ndim, 'transpose'))
    : x.shape.map((_, i) => x.ndim - 1 - i);
  if (perm.length !== x.ndim || new Set(perm).size !== x.ndim) {
    throw new InvalidArgumentError(
      `transpose: axes (${axes?.join(', ')}) are not a permutation of the ${x.ndim} axes.`,
    );
  }
  if (perm.every((p, i) => p === i)) return x;
  if (isBigDtype(x.dtype))
    throw new DtypeError(
      `transpose: ${x.dtype} arrays cannot be transposed here; convert with .astype('float64') first.`,
    );
  const p = partsOf(x);
  const leaves = p.leaves.map((l) => ({ base: l.base, map: perm.map((o) => l.map[o]!) }));
  const shape = perm.map((o) => x.shape[o]!);
  return fromTree(
    `transpose-${tokenize(x.name, perm)}`,
    p.tree,
    leaves,
    shape,
    x.dtype,
    'transpose',
  );
}
