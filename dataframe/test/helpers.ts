/** Small awkward frames and plain-loop references for the dataframe tests. */
import { fromColumns } from '@dusk/dataframe';

export type Row = Record<string, unknown>;

/** 23 rows: keys with '-' and '|', nulls, NaN, an all-null column, empty and one-row partitions. */
export const KEYS = ['a-b', 'a|b', 'a', 'b-|', 'a-b|', 'b'];
export const SIZES = [0, 1, 0, 10, 12, 0];

export function awkwardColumns() {
  const n = 23;
  const key: (string | null)[] = [];
  const x: (number | null)[] = [];
  const i32: (number | null)[] = [];
  const flag: (boolean | null)[] = [];
  const empty: null[] = [];
  for (let i = 0; i < n; i++) {
    key.push(i === 7 ? null : KEYS[(i * 5) % KEYS.length]!);
    x.push(i % 6 === 4 ? null : i === 9 ? Number.NaN : ((i * 37) % 19) - 6.5);
    i32.push(i % 5 === 3 ? null : (i * 13) % 11);
    flag.push(i % 7 === 2 ? null : i % 3 === 0);
    empty.push(null);
  }
  return { key, x, i32, flag, empty };
}

export function awkwardFrame(sizes: readonly number[] = SIZES) {
  const c = awkwardColumns();
  return fromColumns(
    { key: c.key, x: c.x, i32: c.i32, flag: c.flag, empty: c.empty },
    {
      sizes,
      dtypes: { x: 'float64', i32: 'int32', flag: 'bool', empty: 'float64', key: 'string' },
    },
  );
}

export function awkwardRows(): Row[] {
  const c = awkwardColumns();
  return c.key.map((_, i) => ({
    key: c.key[i],
    x: c.x[i],
    i32: c.i32[i],
    flag: c.flag[i],
    empty: null,
  }));
}

const present = (v: unknown) =>
  v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v));

/** pandas-like reductions over plain values (nulls and NaN skipped). */
export function ref(values: readonly unknown[], op: string, ddof = 1): unknown {
  const xs = values
    .filter(present)
    .map((v) => (typeof v === 'boolean' ? Number(v) : v)) as number[];
  const n = xs.length;
  const sum = xs.reduce((a, b) => a + b, 0);
  const mean = n === 0 ? Number.NaN : sum / n;
  const m2 = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  switch (op) {
    case 'sum':
      return sum;
    case 'mean':
      return mean;
    case 'count':
      return n;
    case 'size':
      return values.length;
    case 'min':
      return n === 0 ? Number.NaN : xs.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return n === 0 ? Number.NaN : xs.reduce((a, b) => (b > a ? b : a));
    case 'var':
      return n - ddof <= 0 ? Number.NaN : m2 / (n - ddof);
    case 'std':
      return n - ddof <= 0 ? Number.NaN : Math.sqrt(m2 / (n - ddof));
    case 'nunique':
      return new Set(xs).size;
    case 'first':
      return n === 0 ? null : xs[0];
    case 'last':
      return n === 0 ? null : xs[n - 1];
    default:
      throw new Error(op);
  }
}

/** Groups rows by key columns (rows with a null key dropped), keys sorted. */
export function groupRows(rows: Row[], keys: string[]): [unknown[], Row[]][] {
  const m = new Map<string, [unknown[], Row[]]>();
  for (const r of rows) {
    const k = keys.map((c) => r[c]);
    if (k.some((v) => !present(v))) continue;
    const id = JSON.stringify(k);
    if (!m.has(id)) m.set(id, [k, []]);
    m.get(id)![1].push(r);
  }
  return [...m.values()].sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a[0][i] as any;
      const y = b[0][i] as any;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** Equal up to floating point rounding; NaN and null (both missing) are equal. */
export function close(a: unknown, b: unknown, eps = 1e-9): boolean {
  const missing = (v: unknown) => v === null || (typeof v === 'number' && Number.isNaN(v));
  if (missing(a) || missing(b)) return missing(a) && missing(b);
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}
