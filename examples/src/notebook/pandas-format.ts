/**
 * How pandas 1.5 prints a Series and a DataFrame (`print(s)`, `print(df.head())`), ported
 * rule for rule from pandas/io/formats/format.py: floats with 6 decimals and trailing zeros
 * trimmed equally down the column, scientific notation when values are too wide or too
 * small, a leading space for the sign, right-justified columns, left-justified index.
 */
import { exponent, fixed, pyStr } from './py-format.js';

/** Values of one column: typed arrays or plain arrays (strings, numbers, null for missing). */
export type PdValues = ArrayLike<unknown>;

export interface PdIndex {
  name?: string | null;
  values: PdValues;
}

export interface PdSeries {
  values: PdValues;
  /** pandas dtype name shown in the footer: 'float64', 'int64', 'object', 'bool'... */
  dtype: string;
  name?: string | null;
  /** Default: a RangeIndex 0..n-1. */
  index?: PdIndex;
}

export interface PdColumn {
  name: string;
  dtype: string;
  values: PdValues;
}

export interface PdFrame {
  columns: readonly PdColumn[];
  index?: PdIndex;
}

/** pandas' display.precision. */
const DIGITS = 6;
const NA_REP = 'NaN';
/** Spaces between the index and the values of a Series (pandas' adjoin(3, ...)). */
const SERIES_GAP = 3;
const FRAME_GAP = 1;

const isFloatDtype = (dtype: string) => dtype.startsWith('float');
const isIntDtype = (dtype: string) => /^u?int/.test(dtype);
const isNumericDtype = (dtype: string) => isFloatDtype(dtype) || isIntDtype(dtype);
const isMissing = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

function toList(values: PdValues): unknown[] {
  return Array.from(values as ArrayLike<unknown>);
}

const DECIMAL_NUMBER = /^\s*[+-]?[0-9]+\.[0-9]*$/;

/** pandas' _trim_zeros_float: trim trailing zeros equally, keep one digit after the point. */
function trimZerosFloat(strings: string[]): string[] {
  let out = strings;
  const shouldTrim = (xs: string[]) => {
    const nums = xs.filter((x) => DECIMAL_NUMBER.test(x));
    return nums.length > 0 && nums.every((x) => x.endsWith('0'));
  };
  while (shouldTrim(out)) out = out.map((x) => (DECIMAL_NUMBER.test(x) ? x.slice(0, -1) : x));
  return out.map((x) => (DECIMAL_NUMBER.test(x) && x.endsWith('.') ? `${x}0` : x));
}

/** pandas' FloatArrayFormatter (fixed width, leading space for the sign). */
function formatFloats(values: PdValues, leadingSpace: boolean): string[] {
  const xs = toList(values).map((v) => (isMissing(v) ? Number.NaN : Number(v)));
  const withFormat = (f: (x: number) => string) =>
    trimZerosFloat(xs.map((x) => (Number.isNaN(x) ? NA_REP : f(x))));
  let out = withFormat((x) => fixed(x, DIGITS, leadingSpace));
  const tooLong = out.length > 0 && Math.max(...out.map((s) => s.length)) > DIGITS + 6;
  const abs = xs.filter((x) => !Number.isNaN(x)).map(Math.abs);
  const hasLarge = abs.some((a) => a > 1e6);
  const hasSmall = abs.some((a) => a < 10 ** -DIGITS && a > 0);
  if (hasSmall || (tooLong && hasLarge)) out = withFormat((x) => exponent(x, DIGITS, leadingSpace));
  return out;
}

function formatInts(values: PdValues, leadingSpace: boolean): string[] {
  return toList(values).map((v) => {
    const s = typeof v === 'bigint' ? v.toString() : Number(v).toFixed(0);
    return leadingSpace && !s.startsWith('-') ? ` ${s}` : s;
  });
}

function formatGeneric(values: PdValues, leadingSpace: boolean): string[] {
  return toList(values).map((v) => {
    const s = isMissing(v) ? NA_REP : pyStr(v);
    return leadingSpace ? ` ${s}` : s;
  });
}

/** pandas' format_array: per-dtype strings, made fixed width. */
function formatArray(values: PdValues, dtype: string, justify: 'left' | 'right'): string[] {
  const strings = isFloatDtype(dtype)
    ? formatFloats(values, true)
    : isIntDtype(dtype)
      ? formatInts(values, true)
      : formatGeneric(values, true);
  return fixedWidth(strings, justify);
}

function fixedWidth(strings: string[], justify: 'left' | 'right', minimum = 0): string[] {
  if (strings.length === 0) return strings;
  const width = Math.max(minimum, ...strings.map((s) => s.length));
  return strings.map((s) => (justify === 'left' ? s.padEnd(width) : s.padStart(width)));
}

function trimFront(strings: string[]): string[] {
  let out = strings;
  while (out.length > 0 && out.every((s) => s.startsWith(' '))) out = out.map((s) => s.slice(1));
  return out;
}

function rangeIndex(n: number): PdIndex {
  return { values: Array.from({ length: n }, (_, i) => i) };
}

function indexDtype(index: PdIndex): string {
  const vs = toList(index.values);
  if (vs.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) {
    return 'int64';
  }
  if (vs.every((v) => typeof v === 'number')) return 'float64';
  return 'object';
}

/** pandas' Index.format(): object labels as they are, numbers left-justified. */
function formatIndexValues(index: PdIndex): string[] {
  const dtype = indexDtype(index);
  if (dtype === 'object')
    return toList(index.values).map((v) => (isMissing(v) ? NA_REP : pyStr(v)));
  return trimFront(formatArray(index.values, dtype, 'left'));
}

/** pandas' adjoin: each column left-justified to its width plus `gap`, the last as is. */
function adjoin(gap: number, columns: string[][]): string {
  const widths = columns.map(
    (c, i) => Math.max(0, ...c.map((s) => s.length)) + (i < columns.length - 1 ? gap : 0),
  );
  const rows = Math.max(...columns.map((c) => c.length));
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    lines.push(columns.map((c, i) => (c[r] ?? '').padEnd(widths[i]!)).join(''));
  }
  return lines.join('\n');
}

function seriesFooter(s: PdSeries): string {
  const parts: string[] = [];
  if (s.name !== undefined && s.name !== null) parts.push(`Name: ${s.name}`);
  parts.push(`dtype: ${s.dtype}`);
  return parts.join(', ');
}

/**
 * What `print(series)` shows in pandas (no truncation: meant for short results).
 * @example
 * formatSeries({ values: [1.5, 2], dtype: 'float64', name: 'x' })
 * // '0    1.5\n1    2.0\nName: x, dtype: float64'
 */
export function formatSeries(s: PdSeries): string {
  const n = s.values.length;
  const footer = seriesFooter(s);
  if (n === 0) return `Series([], ${footer})`;
  const index = s.index ?? rangeIndex(n);
  const values = formatArray(s.values, s.dtype, 'right');
  let out = adjoin(SERIES_GAP, [formatIndexValues(index), values]);
  if (index.name !== undefined && index.name !== null) out = `${index.name}\n${out}`;
  return `${out}\n${footer}`;
}

/**
 * What `print(frame)` shows in pandas (no truncation: meant for heads and top-n results).
 * @example
 * formatFrame({ columns: [{ name: 'a', dtype: 'float64', values: [1, 2] }] })
 * // '     a\n0  1.0\n1  2.0'
 */
export function formatFrame(f: PdFrame): string {
  const n = f.columns[0]?.values.length ?? f.index?.values.length ?? 0;
  const index = f.index ?? rangeIndex(n);
  // A named index gets a header row of its own under the column names, as in pandas.
  const named = index.name !== undefined && index.name !== null;
  const indexHead = named ? ['', String(index.name)] : [''];
  const indexColumn = fixedWidth([...indexHead, ...formatIndexValues(index)], 'left');
  const columns = f.columns.map((c) => {
    const header = isNumericDtype(c.dtype) ? ` ${c.name}` : c.name;
    const cells = fixedWidth(formatArray(c.values, c.dtype, 'right'), 'right', header.length);
    const width = Math.max(header.length, ...cells.map((s) => s.length));
    return [header.padStart(width), ...(named ? [''.padStart(width)] : []), ...cells];
  });
  return adjoin(FRAME_GAP, [indexColumn, ...columns]);
}
