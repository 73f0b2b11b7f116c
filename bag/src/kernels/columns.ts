/**
 * toDataFrame kernel: a partition of records (objects, or tuples in column order) turned
 * into `{ column: values }`, the form a dataframe partition is built from. A key missing
 * from a record becomes null, as in Dask (NaN there).
 */
import { DtypeError } from '@dusk/core';
import { describe } from './elementwise.js';

/** `{ name: values }` for each of `names`; `single` takes each element as the value itself. */
export function recordsToColumns(
  part: unknown[],
  names: string[],
  single: boolean,
  partition: number,
): Record<string, unknown[]> {
  const n = part.length;
  const cols: unknown[][] = names.map(() => new Array(n));
  for (let i = 0; i < n; i++) {
    const x = part[i] as any;
    if (single) {
      cols[0]![i] = x;
      continue;
    }
    if (x === null || typeof x !== 'object') {
      throw new DtypeError(
        `toDataFrame: element ${i} of partition ${partition} is ${describe(x)}, not a record. ` +
          `Elements must be objects with the columns ${names.map((c) => `'${c}'`).join(', ')} or tuples in that order.`,
      );
    }
    const tuple = Array.isArray(x);
    for (let c = 0; c < names.length; c++) {
      const v = tuple ? x[c] : x[names[c]!];
      cols[c]![i] = v === undefined ? null : v;
    }
  }
  const out: Record<string, unknown[]> = {};
  for (let c = 0; c < names.length; c++) out[names[c]!] = cols[c]!;
  return out;
}
