/**
 * Glue between Dusk results and the pandas-style printer: how a notebook's rows are split
 * into partitions, and a computed table's columns and index as plain data to format.
 */
import type { LocalTable } from '@dusk/dataframe';
import type { PdColumn, PdIndex } from './pandas-format.js';

/**
 * Rows per partition when `rows` are split into `partitions` as evenly as possible (the
 * same boundaries as Dask's from_pandas(npartitions=p)).
 * @example partitionSizes(10, 4) // [3, 2, 3, 2]
 */
export function partitionSizes(rows: number, partitions: number): number[] {
  const sizes: number[] = [];
  let prev = 0;
  for (let i = 1; i <= partitions; i++) {
    const end = Math.round((i * rows) / partitions);
    sizes.push(end - prev);
    prev = end;
  }
  return sizes;
}

/** pandas' name for a Dusk dtype (strings are object columns in pandas 1.5). */
export function pandasDtype(dtype: string): string {
  return dtype === 'string' ? 'object' : dtype;
}

/** The value columns of a computed table, for formatFrame. */
export function tableColumns(t: LocalTable): PdColumn[] {
  const dtypes = t.dtypes;
  return t.columns.map((name) => ({
    name,
    dtype: pandasDtype(dtypes[name]!),
    values: t.get(name),
  }));
}

/** The index of a computed table (its first index column), for formatSeries/formatFrame. */
export function tableIndex(t: LocalTable): PdIndex | undefined {
  if (t.index.length === 0) return undefined;
  return { name: t.index[0], values: t.indexValues()[0]! };
}
