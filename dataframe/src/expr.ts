/**
 * Column expressions as plain data: `col('price') * col('units_sold')` is
 * `{ op: 'mul', args: [{ op: 'col', name: 'price' }, { op: 'col', name: 'units_sold' }] }`.
 * Expressions are what plans hold and what kernels compile into one loop per partition;
 * `exprDtype` types them against a schema so bad dtypes fail when the frame is built.
 */
import { DtypeError, type FnRef, InvalidArgumentError } from '@dusk/core';
import { type Dtype, isInteger, isNumeric, type Schema } from './dtypes.js';
import { checkColumn } from './errors.js';

export type Scalar = number | boolean | string | null;
export const ARITH_OPS = ['add', 'sub', 'mul', 'div', 'mod', 'pow', 'floordiv'] as const;
export const COMPARE_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export const LOGIC_OPS = ['and', 'or'] as const;
export const UNARY_OPS = [
  'neg',
  'abs',
  'not',
  'isna',
  'notna',
  'lower',
  'upper',
  'strlen',
] as const;
export type ArithOp = (typeof ARITH_OPS)[number];
export type CompareOp = (typeof COMPARE_OPS)[number];
export type BinaryOp = ArithOp | CompareOp | (typeof LOGIC_OPS)[number];
export type UnaryOp = (typeof UNARY_OPS)[number];

export type Expr =
  | { readonly op: 'col'; readonly name: string }
  | { readonly op: 'lit'; readonly value: Scalar }
  | { readonly op: BinaryOp; readonly args: readonly [Expr, Expr] }
  | { readonly op: UnaryOp; readonly args: readonly [Expr] }
  | {
      readonly op: 'contains';
      readonly args: readonly [Expr];
      readonly pat: string;
      readonly regex: boolean;
      readonly case: boolean;
    }
  | { readonly op: 'fillna'; readonly args: readonly [Expr, Expr] }
  | { readonly op: 'cast'; readonly args: readonly [Expr]; readonly dtype: Dtype }
  | {
      readonly op: 'map';
      readonly args: readonly [Expr];
      readonly fn: FnRef;
      readonly dtype: Dtype;
    };

export const col = (name: string): Expr => ({ op: 'col', name });
export const lit = (value: Scalar): Expr => ({ op: 'lit', value });

/** The dtype a literal takes. */
export function litDtype(v: Scalar): Dtype | 'null' {
  if (v === null) return 'null';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

function describe(e: Expr): string {
  return e.op === 'col'
    ? `column '${e.name}'`
    : e.op === 'lit'
      ? `the value ${JSON.stringify(e.value)}`
      : `the result of ${e.op}`;
}

/** Types an expression against a schema; throws ColumnNotFoundError or DtypeError. */
export function exprDtype(e: Expr, schema: Schema): Dtype {
  const t = exprType(e, schema);
  return t === 'null' ? 'float64' : t;
}

function exprType(e: Expr, schema: Schema): Dtype | 'null' {
  switch (e.op) {
    case 'col': {
      const f = schema.find((x) => x.name === e.name);
      if (!f)
        checkColumn(
          e.name,
          schema.map((x) => x.name),
        );
      return f!.dtype;
    }
    case 'lit':
      return litDtype(e.value);
    case 'cast': {
      const from = exprType(e.args[0], schema);
      if (from === 'string' && e.dtype !== 'string')
        throw new DtypeError(
          `astype('${e.dtype}') cannot take ${describe(e.args[0])} of dtype string: parse strings with map(fn, { meta }).`,
        );
      if (from !== 'string' && from !== 'null' && e.dtype === 'string')
        throw new DtypeError(
          `astype('string') cannot take ${describe(e.args[0])} of dtype ${from}: format numbers with map(fn, { meta }).`,
        );
      return e.dtype;
    }
    case 'map':
      exprType(e.args[0], schema);
      return e.dtype;
    case 'fillna': {
      const a = exprType(e.args[0], schema);
      const b = exprType(e.args[1], schema);
      if (a === 'null') return b;
      if (b !== 'null' && (a === 'string') !== (b === 'string'))
        throw new DtypeError(
          `fillna cannot fill ${describe(e.args[0])} of dtype ${a} with ${describe(e.args[1])} of dtype ${b}.`,
        );
      return a;
    }
    case 'isna':
    case 'notna':
      exprType(e.args[0], schema);
      return 'bool';
    case 'contains':
    case 'lower':
    case 'upper':
    case 'strlen': {
      const a = exprType(e.args[0], schema);
      if (a !== 'string' && a !== 'null')
        throw new DtypeError(
          `str.${e.op === 'strlen' ? 'len' : e.op} cannot take ${describe(e.args[0])} of dtype ${a}: it needs a string column.`,
        );
      return e.op === 'strlen' ? 'int32' : e.op === 'contains' ? 'bool' : 'string';
    }
    case 'not': {
      const a = exprType(e.args[0], schema);
      if (a !== 'bool' && a !== 'null')
        throw new DtypeError(
          `not cannot take ${describe(e.args[0])} of dtype ${a}: it needs bool.`,
        );
      return 'bool';
    }
    case 'neg':
    case 'abs': {
      const a = exprType(e.args[0], schema);
      if (a !== 'null' && !isNumeric(a))
        throw new DtypeError(
          `${e.op} cannot take ${describe(e.args[0])} of dtype ${a}: it needs a number column.`,
        );
      return a === 'null' ? 'float64' : a === 'int64' || isInteger(a) ? 'float64' : a;
    }
    default:
      return binaryType(e.op, e.args[0], e.args[1], schema);
  }
}

function binaryType(op: BinaryOp, a: Expr, b: Expr, schema: Schema): Dtype {
  const ta = exprType(a, schema);
  const tb = exprType(b, schema);
  if (op === 'and' || op === 'or') {
    for (const [t, x] of [
      [ta, a],
      [tb, b],
    ] as const)
      if (t !== 'bool' && t !== 'null')
        throw new DtypeError(`${op} cannot take ${describe(x)} of dtype ${t}: it needs bool.`);
    return 'bool';
  }
  if ((COMPARE_OPS as readonly string[]).includes(op)) {
    const sa = ta === 'string';
    const sb = tb === 'string';
    if (ta !== 'null' && tb !== 'null' && sa !== sb)
      throw new DtypeError(
        `${op} cannot compare ${describe(a)} of dtype ${ta} with ${describe(b)} of dtype ${tb}.`,
      );
    return 'bool';
  }
  for (const [t, x] of [
    [ta, a],
    [tb, b],
  ] as const) {
    if (t === 'string' || (t === 'bool' && op !== 'add' && op !== 'sub' && op !== 'mul'))
      throw new DtypeError(
        `${op} cannot take ${describe(x)} of dtype ${t}: arithmetic needs number columns.`,
      );
  }
  // JS numbers are doubles: arithmetic results are float64 (exact for integers below 2^53).
  if (ta === 'float32' && (tb === 'float32' || isInteger(tb as Dtype)) && op !== 'pow')
    return 'float32';
  if (tb === 'float32' && isInteger(ta as Dtype) && op !== 'pow') return 'float32';
  return 'float64';
}

/** Column names an expression reads. */
export function exprColumns(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.op === 'col') out.add(e.name);
  else if ('args' in e) for (const a of e.args) exprColumns(a, out);
  return out;
}

/** Replaces column references by expressions (inlining a projection into its consumer). */
export function substitute(e: Expr, byName: ReadonlyMap<string, Expr>): Expr {
  if (e.op === 'col') return byName.get(e.name) ?? e;
  if (e.op === 'lit') return e;
  return { ...e, args: e.args.map((a) => substitute(a, byName)) } as unknown as Expr;
}

/** A readable form for explain(): mul(price, units_sold). */
export function exprToString(e: Expr): string {
  switch (e.op) {
    case 'col':
      return e.name;
    case 'lit':
      return JSON.stringify(e.value);
    case 'cast':
      return `astype(${exprToString(e.args[0])}, ${e.dtype})`;
    case 'map':
      return `map(${exprToString(e.args[0])}, ${'source' in e.fn ? e.fn.source : `${e.fn.module}#${e.fn.name}`}) -> ${e.dtype}`;
    case 'contains':
      return `contains(${exprToString(e.args[0])}, ${JSON.stringify(e.pat)})`;
    default:
      return `${e.op}(${e.args.map(exprToString).join(', ')})`;
  }
}

/** Checks a scalar given by a user. */
export function asScalar(v: unknown, where: string): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  throw new InvalidArgumentError(
    `${where}: expected a number, boolean, string or null, got ${typeof v}.`,
  );
}
