/**
 * Python's number formatting, exactly: `f"{x:.2f}"`, `f"{x:.6e}"`, `repr(float)` and
 * `print()` of ints, floats, lists, tuples and dicts, so the notebooks print what the
 * Python originals print. Rounding is done on the exact binary value, half to even, as
 * CPython does (JS `toFixed` rounds exact ties up and switches to exponents at 1e21).
 */
import { InvalidArgumentError } from '@dusk/core';

/** `x` as an exact rational `mant * 2^exp` (x finite and > 0). */
function decompose(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mant: frac, exp: -1074 };
  return { mant: frac | (1n << 52n), exp: biased - 1075 };
}

/** round(x * 10^k) for finite x > 0, half to even, on the exact value. */
function scaledRound(x: number, k: number): bigint {
  const { mant, exp } = decompose(x);
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  return undefined;
}

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new InvalidArgumentError(`digits must be an integer in [0, 100], got ${digits}.`);
  }
}

function sign(x: number, space: boolean): string {
  if (x < 0 || Object.is(x, -0)) return '-';
  return space ? ' ' : '';
}

/**
 * Python's `format(x, '.Nf')` (with `space`, `' .Nf'`).
 * @example fixed(0.125, 2) // '0.12' (JS toFixed gives '0.13')
 */
export function fixed(x: number, digits: number, space = false): string {
  checkDigits(digits);
  const s = special(x);
  if (s !== undefined) return (x > 0 || Number.isNaN(x)) && space ? ` ${s}` : s;
  const a = Math.abs(x);
  const n = a === 0 ? '0' : scaledRound(a, digits).toString();
  const padded = n.padStart(digits + 1, '0');
  const int = padded.slice(0, padded.length - digits);
  const frac = padded.slice(padded.length - digits);
  return sign(x, space) + (digits > 0 ? `${int}.${frac}` : int);
}

/**
 * Python's `format(x, '.Ne')` (with `space`, `' .Ne'`): two-digit exponents at least.
 * @example exponent(314987654321.5, 6) // '3.149877e+11'
 */
export function exponent(x: number, digits: number, space = false): string {
  checkDigits(digits);
  const s = special(x);
  if (s !== undefined) return (x > 0 || Number.isNaN(x)) && space ? ` ${s}` : s;
  const a = Math.abs(x);
  let e = 0;
  let n = 0n;
  if (a !== 0) {
    e = Math.floor(Math.log10(a));
    const low = 10n ** BigInt(digits);
    n = scaledRound(a, digits - e);
    // log10 can be off by one near powers of ten; rounding can carry into a new digit.
    while (n >= low * 10n) n = scaledRound(a, digits - ++e);
    while (n < low) n = scaledRound(a, digits - --e);
  }
  const d = n.toString().padStart(digits + 1, '0');
  const mantissa = digits > 0 ? `${d[0]}.${d.slice(1)}` : d;
  return `${sign(x, space)}${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/**
 * Python's `repr(float)` (and `str(numpy.float64)`): the shortest digits that read back
 * to the same double, in fixed notation for exponents in [-4, 16), else scientific.
 * @example pyFloatRepr(2) // '2.0'; pyFloatRepr(1e16) // '1e+16'
 */
export function pyFloatRepr(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential())!;
  const neg = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const e = Number(m[4]);
  if (e < -4 || e >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${neg}${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${neg}0.${'0'.repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${neg}${digits.padEnd(e + 1, '0')}.0`;
  return `${neg}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/** A float that prints as a Python float (`2.0`, not `2`). */
export class PyFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

/** A tuple that prints as a Python tuple: `(1, 2)`, `(9,)`. */
export class PyTuple {
  readonly items: readonly unknown[];
  constructor(...items: unknown[]) {
    this.items = items;
  }
}

/** @example print(pyFloat(2)) // 2.0 */
export const pyFloat = (x: number): PyFloat => new PyFloat(x);
/** @example print(tuple(9)) // (9,) */
export const tuple = (...items: unknown[]): PyTuple => new PyTuple(...items);

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/**
 * Python's `repr()` of a value: JS numbers print as ints when integral (wrap floats in
 * `pyFloat`), arrays as lists, `tuple(...)` as tuples, plain objects and Maps as dicts.
 */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return pyStringRepr(v);
  return pyStr(v);
}

function pyContainer(open: string, items: Iterable<unknown>, close: string): string {
  return `${open}${Array.from(items, pyRepr).join(', ')}${close}`;
}

/** Python's `str()` of a value, as `print` shows it. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : pyFloatRepr(v);
  if (v instanceof PyFloat) return v.toString();
  if (v instanceof PyTuple) {
    return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : pyContainer('(', v.items, ')');
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return pyContainer('[', v as unknown[], ']');
  if (v instanceof Map) {
    return `{${Array.from(v, ([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

/**
 * The line Python's `print(*args)` writes (without the newline): `str` of each, joined by `sep`.
 * @example pyPrintLine('\nTotal:\n', 5) // '\nTotal:\n 5'
 */
export function pyPrintLine(args: readonly unknown[], sep = ' '): string {
  return args.map(pyStr).join(sep);
}
