/**
 * Partitions made by user code (mapPartitions, fromDelayed, fromArrow input) checked
 * against the frame's meta: Arrow tables, result tables or { column: values }, with plain
 * strings dictionary-encoded; a mismatch names the column, the partition and the fix.
 */
import * as A from 'apache-arrow';
import { type Dtype, dtypeOfArray, type Schema, schemaOfArrow } from '../dtypes.js';
import { MetaMismatchError } from '../errors.js';
import { concatTables, makeColumn, packValues, tableOf } from './arrow-build.js';

/** Checks a partition made by user code against the frame's meta. */
export function checkPartition(
  value: unknown,
  meta: Schema,
  partition: number,
  what: string,
): A.Table {
  const table = toTable(value, meta, partition, what);
  const got = schemaOfArrow(table);
  for (const f of meta) {
    const g = got.find((x) => x.name === f.name);
    if (!g)
      throw new MetaMismatchError(
        `${what}: partition ${partition} has no column '${f.name}' (it has ${got.map((x) => `'${x.name}'`).join(', ') || 'none'}). Return the columns the meta names, or pass the meta that matches.`,
      );
    if (g.dtype !== f.dtype)
      throw new MetaMismatchError(
        `${what}: column '${f.name}' of partition ${partition} is ${g.dtype}, but the meta says ${f.dtype}. Cast it in the function, or pass meta with '${f.name}': '${g.dtype}'.`,
      );
  }
  return got.length === meta.length ? table : table.select(meta.map((f) => f.name));
}

function toTable(value: unknown, meta: Schema, partition: number, what: string): A.Table {
  if (value instanceof A.Table)
    return value.batches.length > 1 ? concatTables([value]) : normalizeStrings(value);
  if (value && typeof (value as any).toArrow === 'function') return (value as any).toArrow();
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    if (meta.length !== 1)
      throw new MetaMismatchError(
        `${what}: partition ${partition} returned one column but the meta has ${meta.length}.`,
      );
    return columnsTable({ [meta[0]!.name]: value }, meta);
  }
  if (value && typeof value === 'object')
    return columnsTable(value as Record<string, unknown>, meta);
  throw new MetaMismatchError(
    `${what}: partition ${partition} returned ${value === undefined ? 'undefined' : typeof value}; return an Arrow table, a result table, or { column: values }.`,
  );
}

function columnsTable(cols: Record<string, unknown>, meta: Schema): A.Table {
  const names = Object.keys(cols);
  const data = names.map((name) => {
    const v = cols[name] as any;
    const dtype: Dtype = dtypeOfArray(v) ?? meta.find((f) => f.name === name)?.dtype ?? 'float64';
    if (dtypeOfArray(v)) return makeColumn({ dtype, length: v.length, values: v });
    return makeColumn(packValues(v as unknown[], dtype));
  });
  return tableOf(names, data);
}

function normalizeStrings(t: A.Table): A.Table {
  const plain = t.schema.fields.some((f) => A.DataType.isUtf8(f.type));
  if (!plain) return t;
  const cols = t.schema.fields.map((f) =>
    A.DataType.isUtf8(f.type)
      ? makeColumn(packValues(t.getChild(f.name)!.toArray() as unknown[], 'string'))
      : t.getChild(f.name)!.data[0]!,
  );
  return tableOf(
    t.schema.fields.map((f) => f.name),
    cols,
    t.numRows,
  );
}
