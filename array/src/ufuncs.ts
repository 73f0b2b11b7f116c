/**
 * NumPy-style function forms of the elementwise methods (`add(x, 1)`, `sqrt(x)`), for code
 * that reads like `da.add(a, b)` in Dask.
 */
import type { DuskArray } from './array.js';
import { binaryOp, unaryOp } from './elementwise.js';
import type { Operand } from './expr.js';

/** a + b. @example add(x, y.T) */
export const add = (a: Operand, b: Operand): DuskArray => binaryOp('add', a, b);
/** a - b. @example subtract(x, 1) */
export const subtract = (a: Operand, b: Operand): DuskArray => binaryOp('sub', a, b);
/** a * b. @example multiply(2, x) */
export const multiply = (a: Operand, b: Operand): DuskArray => binaryOp('mul', a, b);
/** a / b (true division: float). @example divide(x, 3) */
export const divide = (a: Operand, b: Operand): DuskArray => binaryOp('div', a, b);
/** a ** b. @example power(x, 2) */
export const power = (a: Operand, b: Operand): DuskArray => binaryOp('pow', a, b);
/** Elementwise larger value (NaN wins). @example maximum(x, 0) */
export const maximum = (a: Operand, b: Operand): DuskArray => binaryOp('maximum', a, b);
/** Elementwise smaller value (NaN wins). @example minimum(x, 1) */
export const minimum = (a: Operand, b: Operand): DuskArray => binaryOp('minimum', a, b);
/** |x|. @example abs(x) */
export const abs = (x: DuskArray): DuskArray => unaryOp('abs', x);
/** Square root. @example sqrt(x) */
export const sqrt = (x: DuskArray): DuskArray => unaryOp('sqrt', x);
/** e ** x. @example exp(x) */
export const exp = (x: DuskArray): DuskArray => unaryOp('exp', x);
/** Natural logarithm. @example log(x) */
export const log = (x: DuskArray): DuskArray => unaryOp('log', x);
/** Sine. @example sin(x) */
export const sin = (x: DuskArray): DuskArray => unaryOp('sin', x);
/** Cosine. @example cos(x) */
export const cos = (x: DuskArray): DuskArray => unaryOp('cos', x);
/** Largest integer <= x. @example floor(x) */
export const floor = (x: DuskArray): DuskArray => unaryOp('floor', x);
/** Smallest integer >= x. @example ceil(x) */
export const ceil = (x: DuskArray): DuskArray => unaryOp('ceil', x);
/** Nearest integer, halves to even (NumPy's round). @example round(x) */
export const round = (x: DuskArray): DuskArray => unaryOp('round', x);
/** Logical not. @example logicalNot(x.gt(0)) */
export const logicalNot = (x: DuskArray): DuskArray => unaryOp('not', x);
/** Logical and. @example logicalAnd(x.gt(0), x.lt(1)) */
export const logicalAnd = (a: Operand, b: Operand): DuskArray => binaryOp('and', a, b);
/** Logical or. @example logicalOr(x.lt(0), x.gt(1)) */
export const logicalOr = (a: Operand, b: Operand): DuskArray => binaryOp('or', a, b);
