/**
 * Elementwise operations on float64 tiles: one small monomorphic loop per operation,
 * chosen once per tile (never per element). Every dtype is evaluated in float64 and stored
 * in its own dtype at the end; comparisons and logical operations give 0/1.
 */

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'mod'
  | 'floordiv'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'and'
  | 'or'
  | 'xor';

export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sqrt'
  | 'exp'
  | 'log'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'trunc'
  | 'not'
  | 'bool'
  | 'isnan';

/** `out[i] = a[i] op b[i]` for i < n. */
export function binary(
  op: BinaryOp,
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  n: number,
) {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) out[i] = a[i]! ** b[i]!;
      return;
    case 'mod':
      // NumPy's remainder takes the sign of the divisor.
      for (let i = 0; i < n; i++) {
        const r = a[i]! % b[i]!;
        out[i] = r !== 0 && r < 0 !== b[i]! < 0 ? r + b[i]! : r;
      }
      return;
    case 'floordiv':
      for (let i = 0; i < n; i++) out[i] = Math.floor(a[i]! / b[i]!);
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(a[i]) || a[i]! > b[i]! ? a[i]! : b[i]!;
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(a[i]) || a[i]! < b[i]! ? a[i]! : b[i]!;
      return;
    default:
      compare(op, a, b, out, n);
  }
}

function compare(op: BinaryOp, a: Float64Array, b: Float64Array, out: Float64Array, n: number) {
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0;
      return;
    case 'le':
      for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0;
      return;
    case 'ge':
      for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0;
      return;
    case 'and':
      for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
      return;
    case 'or':
      for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0;
      return;
    case 'xor':
      for (let i = 0; i < n; i++) out[i] = (a[i] !== 0) !== (b[i] !== 0) ? 1 : 0;
      return;
    default:
      throw new TypeError(`Unknown binary operation '${op}'.`);
  }
}

/** Rounds half to even, as NumPy's `round` does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `out[i] = op(a[i])` for i < n. */
export function unary(op: UnaryOp, a: Float64Array, out: Float64Array, n: number) {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -a[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]!);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]!);
      return;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(a[i]!);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(a[i]!);
      return;
    case 'tan':
      for (let i = 0; i < n; i++) out[i] = Math.tan(a[i]!);
      return;
    default:
      rounding(op, a, out, n);
  }
}

function rounding(op: UnaryOp, a: Float64Array, out: Float64Array, n: number) {
  switch (op) {
    case 'floor':
      for (let i = 0; i < n; i++) out[i] = Math.floor(a[i]!);
      return;
    case 'ceil':
      for (let i = 0; i < n; i++) out[i] = Math.ceil(a[i]!);
      return;
    case 'round':
      for (let i = 0; i < n; i++) out[i] = roundHalfEven(a[i]!);
      return;
    case 'trunc':
      for (let i = 0; i < n; i++) out[i] = Math.trunc(a[i]!);
      return;
    case 'not':
      for (let i = 0; i < n; i++) out[i] = a[i] === 0 ? 1 : 0;
      return;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = a[i] !== 0 ? 1 : 0;
      return;
    case 'isnan':
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(a[i]) ? 1 : 0;
      return;
    default:
      throw new TypeError(`Unknown unary operation '${op}'.`);
  }
}

/** `out[i] = min(max(a[i], lo), hi)`. */
export function clip(a: Float64Array, lo: number, hi: number, out: Float64Array, n: number) {
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** `out[i] = c[i] ? a[i] : b[i]`. */
export function select(
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  n: number,
) {
  for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? a[i]! : b[i]!;
}
