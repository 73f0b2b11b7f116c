/**
 * Printing tables the way pandas does: an index column, right-aligned columns, floats
 * with 6 digits after the point (trailing zeros trimmed together, scientific notation
 * when values are very large or very small), `...` rows past 60, and the dtype footer.
 */
import type { Dtype } from './dtypes.js';

/** pandas' display.max_rows and the head/tail shown past it. */
export const MAX_ROWS = 60;
export const SHOWN_EACH_END = 5;
const DIGITS = 6;

const isNumberWithDecimal = (s: string) => /^\s*[+-]?[0-9]+\.[0-9]*$/.test(s);

function trimZeros(strs: string[]): string[] {
  let out = strs;
  const shouldTrim = (xs: string[]) => {
    const nums = xs.filter(isNumberWithDecimal);
    return nums.length > 0 && nums.every((x) => x.endsWith('0'));
  };
  while (shouldTrim(out)) out = out.map((x) => (isNumberWithDecimal(x) ? x.slice(0, -1) : x));
  return out.map((x) => (isNumberWithDecimal(x) && x.endsWith('.') ? `${x}0` : x));
}

function sci(v: number): string {
  const s = v.toExponential(DIGITS);
  const [m, e] = s.split('e');
  const exp = Number(e);
  return `${v < 0 ? '' : ' '}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Formats a float column as pandas would (values may include null/NaN). */
export function formatFloats(values: readonly (number | null)[]): string[] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs);
  const fixed = values.map((v) =>
    v === null || Number.isNaN(v)
      ? 'NaN'
      : !Number.isFinite(v)
        ? v > 0
          ? 'inf'
          : '-inf'
        : `${v < 0 ? '' : ' '}${v.toFixed(DIGITS)}`,
  );
  const maxlen = Math.max(0, ...fixed.map((s) => s.length));
  const large = finite.some((v) => v > 1e6);
  const small = finite.some((v) => v > 0 && v < 10 ** -DIGITS);
  if (small || (maxlen > DIGITS + 6 && large)) {
    return values.map((v) =>
      v === null || Number.isNaN(v)
        ? 'NaN'
        : !Number.isFinite(v)
          ? v > 0
            ? 'inf'
            : '-inf'
          : sci(v),
    );
  }
  return trimZeros(fixed);
}

/** Formats any column's values for display. */
export function formatColumn(values: readonly unknown[], dtype: Dtype): string[] {
  if (dtype === 'float64' || dtype === 'float32') return formatFloats(values as (number | null)[]);
  if (dtype === 'bool') return values.map((v) => (v === null ? 'None' : v ? ' True' : ' False'));
  if (dtype === 'string') return values.map((v) => (v === null ? ' None' : ` ${String(v)}`));
  return values.map((v) => (v === null ? '<NA>' : ` ${String(v)}`));
}

export interface Printable {
  /** Index columns (name + display values), or none for a range index. */
  index: { name: string; values: unknown[]; dtype: Dtype }[];
  columns: { name: string; values: unknown[]; dtype: Dtype }[];
  /** Row numbers of the shown rows (for the range index). */
  rowNumbers: number[];
  totalRows: number;
  /** Where the `...` row goes (after this many shown rows), or -1. */
  gapAt: number;
}

function indexStrings(p: Printable): { header: string[]; cells: string[][] } {
  if (p.index.length === 0) return { header: [''], cells: [p.rowNumbers.map(String)] };
  return {
    header: p.index.map((c) => c.name),
    cells: p.index.map((c) => formatColumn(c.values, c.dtype).map((s) => s.trim())),
  };
}

function withGap(cells: string[], gapAt: number, filler = '...'): string[] {
  return gapAt < 0 ? cells : [...cells.slice(0, gapAt), filler, ...cells.slice(gapAt)];
}

/** A frame as pandas prints it. */
export function formatFrame(p: Printable): string {
  const idx = indexStrings(p);
  const idxCols = idx.cells.map((c) => withGap(c, p.gapAt, '..'));
  const idxWidths = idxCols.map((c, k) =>
    Math.max(...c.map((s) => s.length), p.index.length > 0 ? idx.header[k]!.length : 0),
  );
  // pandas: every value has a leading space (room for a sign), numeric headers too, columns join with one space.
  const headers = p.columns.map((c) => (c.dtype === 'string' ? c.name : ` ${c.name}`));
  const cols = p.columns.map((c) => withGap(formatColumn(c.values, c.dtype), p.gapAt));
  const widths = cols.map((c, k) => Math.max(headers[k]!.length, ...c.map((s) => s.length)));
  const rows = (idxCols[0]?.length ?? 0) || (cols[0]?.length ?? 0);
  const lines: string[] = [];
  const idxPart = (cells: string[]) => cells.map((s, k) => s.padEnd(idxWidths[k]!)).join(' ');
  const namedIndex = p.index.some((c) => c.name !== '');
  lines.push(
    `${idxPart(idxCols.map(() => ''))} ${headers.map((h, k) => h.padStart(widths[k]!)).join(' ')}`.trimEnd(),
  );
  if (namedIndex) lines.push(idxPart(idx.header).trimEnd());
  for (let r = 0; r < rows; r++) {
    const left = idxPart(idxCols.map((c) => c[r]!));
    lines.push(`${left} ${cols.map((c, k) => c[r]!.padStart(widths[k]!)).join(' ')}`);
  }
  if (p.gapAt >= 0) lines.push('', `[${p.totalRows} rows x ${p.columns.length} columns]`);
  return lines.join('\n');
}

/** A series as pandas prints it. */
export function formatSeries(p: Printable, name: string | undefined, dtype: Dtype): string {
  const idx = indexStrings(p);
  const idxCols = idx.cells.map((c) => withGap(c, p.gapAt));
  const idxWidths = idxCols.map((c) => Math.max(...c.map((s) => s.length), 0));
  const vals = withGap(formatColumn(p.columns[0]!.values, dtype), p.gapAt);
  const w = Math.max(0, ...vals.map((s) => s.length));
  const lines: string[] = [];
  if (p.index.length > 0 && p.index.some((c) => c.name)) lines.push(idx.header.join(' '));
  for (let r = 0; r < vals.length; r++) {
    lines.push(
      `${idxCols.map((c, k) => c[r]!.padEnd(idxWidths[k]!)).join(' ')}   ${vals[r]!.padStart(w)}`,
    );
  }
  const footer: string[] = [];
  if (name !== undefined) footer.push(`Name: ${name}`);
  if (p.gapAt >= 0) footer.push(`Length: ${p.totalRows}`);
  footer.push(`dtype: ${dtype}`);
  lines.push(footer.join(', '));
  return lines.join('\n');
}
