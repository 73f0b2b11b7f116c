/**
 * Expression code generation: turns a plain-data expression into JavaScript source for one
 * row of a loop over a record batch, so a whole pipeline (filter, column math, reduction)
 * runs as a single monomorphic loop over the Arrow typed arrays, like a hand-written one.
 * Only whitelisted operators become code; literals are emitted through JSON/number
 * formatting, so no user text is ever spliced into the source. Functions given to `map`
 * are passed in as values (F[k]), never as text.
 */
import type { FnRef } from '@dusk/core';
import type { Dtype } from '../dtypes.js';
import type { Expr } from '../expr.js';

/** How a generated loop reads an input column. */
export type InputKind = 'num' | 'int64' | 'bool' | 'dict';

/** Per-batch values computed outside the loop (dictionary lookups, string tables). */
export type AuxSpec =
  | { kind: 'dict'; slot: number }
  | { kind: 'const-dict'; value: string }
  | { kind: 'code-of'; dict: number; value: string }
  | { kind: 'remap-codes' | 'remap-dict'; dict: number; fn: 'lower' | 'upper' }
  | { kind: 'len-lut'; dict: number }
  | { kind: 'contains-lut'; dict: number; pat: string; regex: boolean; case: boolean }
  | { kind: 'fill-dict'; dict: number; value: string }
  | { kind: 'rank-lut'; dict: number };

/** A generated value: JS expressions for the value and its validity (null: never null). */
export interface Val {
  v: string;
  ok: string | null;
  kind: 'num' | 'bool' | 'dict' | 'str';
  /** Aux index of the dictionary (string[]) when kind is 'dict'. */
  dict?: number;
  /** The value may be NaN (float math), which reductions skip like a null. */
  nan: boolean;
}

export interface InputSlot {
  name: string;
  kind: InputKind;
  nullable: boolean;
  /** The constructor of the column's values (e.g. Float64Array): what V8 specializes on. */
  ctor: string;
}

/** Accumulates the source of one generated function. */
export class Gen {
  readonly inputs: InputSlot[] = [];
  readonly aux: AuxSpec[] = [];
  readonly fns: { fn: FnRef; dtype: Dtype }[] = [];
  readonly body: string[] = [];
  private temps = 0;

  constructor(private readonly kindOf: (name: string) => Omit<InputSlot, 'name'>) {}

  temp(prefix = 't'): string {
    return `${prefix}${this.temps++}`;
  }

  input(name: string): number {
    let i = this.inputs.findIndex((s) => s.name === name);
    if (i < 0) {
      i = this.inputs.length;
      this.inputs.push({ name, ...this.kindOf(name) });
    }
    return i;
  }

  addAux(spec: AuxSpec): number {
    const key = JSON.stringify(spec);
    const i = this.aux.findIndex((a) => JSON.stringify(a) === key);
    if (i >= 0) return i;
    this.aux.push(spec);
    return this.aux.length - 1;
  }

  /** Emits a statement binding `code` to a fresh temp; returns the temp's name. */
  bind(code: string, prefix = 't'): string {
    if (/^[\w.$]+$/.test(code)) return code;
    const t = this.temp(prefix);
    this.body.push(`const ${t} = ${code};`);
    return t;
  }

  /** Prelude binding inputs and aux values to local constants (run once per batch). */
  prelude(): string {
    const lines: string[] = [];
    this.inputs.forEach((s, k) => {
      lines.push(`const c${k} = C[${k}], o${k} = O[${k}];`);
      if (s.nullable) lines.push(`const v${k} = V[${k}];`);
    });
    for (let k = 0; k < this.aux.length; k++) lines.push(`const X${k} = X[${k}];`);
    for (let k = 0; k < this.fns.length; k++) lines.push(`const F${k} = F[${k}];`);
    return lines.join('\n');
  }

  expr(e: Expr): Val {
    return genExpr(this, e);
  }
}

const bit = (arr: string, off: string) => `((${arr}[(${off} + i) >> 3] >> ((${off} + i) & 7)) & 1)`;
const andOk = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : `(${a} & ${b})`;

function numLiteral(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return `(${String(x)})`;
}

function genExpr(g: Gen, e: Expr): Val {
  switch (e.op) {
    case 'col':
      return genCol(g, e.name);
    case 'lit':
      return genLit(g, e.value);
    case 'cast':
      return genCast(g, g.expr(e.args[0]), e.dtype);
    case 'map':
      return genMap(g, g.expr(e.args[0]), e.fn, e.dtype);
    case 'fillna':
      return genFill(g, g.expr(e.args[0]), e.args[1]);
    case 'isna':
    case 'notna': {
      const a = g.expr(e.args[0]);
      const na = [
        a.ok === null ? null : `(${a.ok} ^ 1)`,
        a.nan ? `(${a.v} !== ${a.v} ? 1 : 0)` : null,
      ]
        .filter((x) => x !== null)
        .join(' | ');
      const isna = na === '' ? '0' : `(${na})`;
      return {
        v: g.bind(e.op === 'isna' ? isna : `(${isna} ^ 1)`),
        ok: null,
        kind: 'bool',
        nan: false,
      };
    }
    case 'not': {
      const a = g.expr(e.args[0]);
      return { v: g.bind(`(${a.v} ^ 1)`), ok: a.ok, kind: 'bool', nan: false };
    }
    case 'neg':
    case 'abs': {
      const a = g.expr(e.args[0]);
      const v = e.op === 'neg' ? `(-${a.v})` : `Math.abs(${a.v})`;
      return { v: g.bind(v), ok: a.ok, kind: 'num', nan: a.nan };
    }
    case 'lower':
    case 'upper': {
      const a = g.expr(e.args[0]);
      const codes = g.addAux({ kind: 'remap-codes', dict: a.dict!, fn: e.op });
      const dict = g.addAux({ kind: 'remap-dict', dict: a.dict!, fn: e.op });
      return { v: g.bind(`X${codes}[${a.v}]`), ok: a.ok, kind: 'dict', dict, nan: false };
    }
    case 'strlen': {
      const a = g.expr(e.args[0]);
      const lut = g.addAux({ kind: 'len-lut', dict: a.dict! });
      return { v: g.bind(`X${lut}[${a.v}]`), ok: a.ok, kind: 'num', nan: false };
    }
    case 'contains': {
      const a = g.expr(e.args[0]);
      const lut = g.addAux({
        kind: 'contains-lut',
        dict: a.dict!,
        pat: e.pat,
        regex: e.regex,
        case: e.case,
      });
      return { v: g.bind(`X${lut}[${a.v}]`), ok: a.ok, kind: 'bool', nan: false };
    }
    default:
      return genBinary(g, e.op, e.args[0], e.args[1]);
  }
}

function genCol(g: Gen, name: string): Val {
  const k = g.input(name);
  const s = g.inputs[k]!;
  const ok = s.nullable ? g.bind(bit(`v${k}`, `o${k}`), 'ok') : null;
  switch (s.kind) {
    case 'num':
      return { v: g.bind(`c${k}[i]`, 'x'), ok, kind: 'num', nan: true };
    case 'int64':
      return { v: g.bind(`Number(c${k}[i])`, 'x'), ok, kind: 'num', nan: false };
    case 'bool':
      return { v: g.bind(bit(`c${k}`, `o${k}`), 'x'), ok, kind: 'bool', nan: false };
    case 'dict':
      return {
        v: g.bind(`c${k}[i]`, 'x'),
        ok,
        kind: 'dict',
        dict: g.addAux({ kind: 'dict', slot: k }),
        nan: false,
      };
  }
}

function genLit(g: Gen, value: number | boolean | string | null): Val {
  if (value === null) return { v: '0', ok: '0', kind: 'num', nan: false };
  if (typeof value === 'number')
    return { v: numLiteral(value), ok: null, kind: 'num', nan: Number.isNaN(value) };
  if (typeof value === 'boolean')
    return { v: value ? '1' : '0', ok: null, kind: 'bool', nan: false };
  return {
    v: '0',
    ok: null,
    kind: 'dict',
    dict: g.addAux({ kind: 'const-dict', value }),
    nan: false,
  };
}

function genCast(g: Gen, a: Val, dtype: Dtype): Val {
  if (dtype === 'string') return a;
  if (dtype === 'bool')
    return { v: g.bind(`(${a.v} !== 0 ? 1 : 0)`), ok: a.ok, kind: 'bool', nan: false };
  if (dtype.startsWith('float')) return { ...a, kind: 'num' };
  return { v: g.bind(`Math.trunc(${a.v})`), ok: a.ok, kind: 'num', nan: a.nan };
}

function genFill(g: Gen, a: Val, fill: Expr): Val {
  if (a.kind === 'dict') {
    const value = fill.op === 'lit' && typeof fill.value === 'string' ? fill.value : '';
    const dict = g.addAux({ kind: 'fill-dict', dict: a.dict!, value });
    const code = g.addAux({ kind: 'code-of', dict, value });
    if (a.ok === null) return { ...a, dict };
    return { v: g.bind(`(${a.ok} ? ${a.v} : X${code})`), ok: null, kind: 'dict', dict, nan: false };
  }
  const b = g.expr(fill);
  const good = andOk(a.ok, a.nan ? `(${a.v} === ${a.v} ? 1 : 0)` : null);
  if (good === null) return a;
  const ok = b.ok === null ? null : g.bind(`(${good} ? 1 : ${b.ok})`, 'ok');
  return { v: g.bind(`(${good} ? ${a.v} : ${b.v})`), ok, kind: a.kind, nan: b.nan };
}

function genMap(g: Gen, a: Val, fn: FnRef, dtype: Dtype): Val {
  const f = g.fns.length;
  g.fns.push({ fn, dtype });
  const arg = a.kind === 'bool' ? `(${a.v} === 1)` : a.kind === 'dict' ? `X${a.dict}[${a.v}]` : a.v;
  const r = g.temp('r');
  // Rows whose input is null are not passed to the function (pandas na_action='ignore').
  const call = a.ok === null ? `F${f}(${arg})` : `(${a.ok} ? F${f}(${arg}) : null)`;
  g.body.push(`const ${r} = ${call};`);
  const ok = g.temp('ok');
  const check =
    dtype === 'string'
      ? `typeof ${r} === 'string'`
      : dtype === 'bool'
        ? `typeof ${r} === 'boolean'`
        : `typeof ${r} === 'number'`;
  g.body.push(`const ${ok} = ${r} === null ? 0 : ${check} ? 1 : BAD(${f}, ${r}, i);`);
  if (dtype === 'string') return { v: r, ok, kind: 'str', nan: false };
  if (dtype === 'bool')
    return { v: g.bind(`(${r} === true ? 1 : 0)`), ok, kind: 'bool', nan: false };
  return { v: g.bind(`(${ok} === 1 ? ${r} : 0)`), ok, kind: 'num', nan: true };
}

const ARITH: Record<string, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  pow: (a, b) => `(${a} ** ${b})`,
  floordiv: (a, b) => `Math.floor(${a} / ${b})`,
  // Python's modulo takes the sign of the divisor.
  mod: (a, b) => `((((${a}) % (${b})) + (${b})) % (${b}))`,
};
const COMPARE: Record<string, string> = {
  eq: '===',
  ne: '!==',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
};

function genBinary(g: Gen, op: string, ea: Expr, eb: Expr): Val {
  const a = g.expr(ea);
  const b = g.expr(eb);
  const ok = andOk(a.ok, b.ok);
  if (op === 'and' || op === 'or') {
    return {
      v: g.bind(`(${a.v} ${op === 'and' ? '&' : '|'} ${b.v})`),
      ok,
      kind: 'bool',
      nan: false,
    };
  }
  const cmp = COMPARE[op];
  if (cmp !== undefined)
    return { v: g.bind(genCompare(g, cmp, a, b, ea, eb)), ok, kind: 'bool', nan: false };
  return { v: g.bind(ARITH[op]!(a.v, b.v)), ok, kind: 'num', nan: true };
}

function genCompare(g: Gen, cmp: string, a: Val, b: Val, ea: Expr, eb: Expr): string {
  const eqLike = cmp === '===' || cmp === '!==';
  if (a.kind === 'dict' && eqLike && eb.op === 'lit' && typeof eb.value === 'string') {
    return `(${a.v} ${cmp} X${g.addAux({ kind: 'code-of', dict: a.dict!, value: eb.value })} ? 1 : 0)`;
  }
  if (b.kind === 'dict' && eqLike && ea.op === 'lit' && typeof ea.value === 'string') {
    return `(${b.v} ${cmp} X${g.addAux({ kind: 'code-of', dict: b.dict!, value: ea.value })} ? 1 : 0)`;
  }
  const sa = a.kind === 'dict' ? `X${a.dict}[${a.v}]` : a.v;
  const sb = b.kind === 'dict' ? `X${b.dict}[${b.v}]` : b.v;
  return `(${sa} ${cmp} ${sb} ? 1 : 0)`;
}
