/**
 * Meta: the schema a user function's output has. Given explicitly in the forms Dask users
 * know (`['name', 'float64']` for a series, `{ col: dtype }` or `[{ name, dtype }]` for a
 * frame), or inferred by calling the function on an empty typed partition or a sample
 * value; when neither works the error says exactly what meta to pass.
 */

import * as A from 'apache-arrow';
import {
  asDtype,
  type Dtype,
  dtypeOfArray,
  isDtype,
  type Schema,
  schemaOfArrow,
} from './dtypes.js';
import { MetaRequiredError } from './errors.js';
import { emptyTable } from './kernels/arrow-build.js';

export type MetaArg = Schema | Record<string, string> | readonly [string, string] | string;

/** A frame schema from any accepted meta form. */
export function frameMeta(meta: MetaArg, where: string, defaultName = 'value'): Schema {
  if (typeof meta === 'string') return [{ name: defaultName, dtype: asDtype(meta, where) }];
  if (Array.isArray(meta)) {
    if (
      meta.length === 2 &&
      typeof meta[0] === 'string' &&
      typeof meta[1] === 'string' &&
      !isFieldList(meta)
    )
      return [{ name: meta[0], dtype: asDtype(meta[1], where) }];
    return (meta as Schema).map((f) => ({ name: String(f.name), dtype: asDtype(f.dtype, where) }));
  }
  return Object.entries(meta as Record<string, string>).map(([name, d]) => ({
    name,
    dtype: asDtype(d, where),
  }));
}

function isFieldList(x: readonly unknown[]): boolean {
  return x.every((f) => typeof f === 'object' && f !== null && 'name' in f);
}

/** The dtype of a series meta (`['name', 'float64']` or `'float64'`). */
export function seriesMeta(meta: MetaArg, where: string): { name?: string; dtype: Dtype } {
  const s = frameMeta(meta, where);
  if (s.length !== 1)
    throw new MetaRequiredError(
      `${where}: a series meta names one column, e.g. ['name', 'float64']; got ${s.length} columns.`,
    );
  return { name: typeof meta === 'string' ? undefined : s[0]!.name, dtype: s[0]!.dtype };
}

const SAMPLES: Record<string, unknown> = { string: 'a', bool: true };

/** Infers the output dtype of a per-element function by calling it on a sample value. */
export function inferMapDtype(fn: (x: any) => unknown, input: Dtype, name: string): Dtype {
  let out: unknown;
  try {
    out = fn(SAMPLES[input] ?? (input.startsWith('float') ? 1.5 : 1));
  } catch (e) {
    throw new MetaRequiredError(
      `map on '${name}': meta was not given and calling the function on a sample ${input} value failed (${(e as Error).message}). Pass it, e.g. { meta: ['${name}', 'float64'] }.`,
    );
  }
  if (typeof out === 'number') return 'float64';
  if (typeof out === 'boolean') return 'bool';
  if (typeof out === 'string') return 'string';
  throw new MetaRequiredError(
    `map on '${name}': meta was not given and the function returned ${out === null ? 'null' : typeof out} for a sample value, so the output dtype is unknown. Pass it, e.g. { meta: ['${name}', 'float64'] } (dtypes: float64, int32, bool, string, ...).`,
  );
}

/** Infers a partition function's output schema by calling it on an empty typed partition. */
export function inferPartitionMeta(
  fn: (t: A.Table, ...a: unknown[]) => unknown,
  schema: Schema,
  args: readonly unknown[],
): Schema {
  let out: unknown;
  const hint = `Pass it, e.g. { meta: { ${schema
    .map((f) => `${f.name}: '${f.dtype}'`)
    .slice(0, 3)
    .join(', ')} } } or { meta: ['name', 'float64'] } for one column.`;
  try {
    out = fn(emptyTable(schema), ...args);
  } catch (e) {
    throw new MetaRequiredError(
      `mapPartitions: meta was not given and calling the function on an empty partition failed (${(e as Error).message}). ${hint}`,
    );
  }
  if (out instanceof Promise)
    throw new MetaRequiredError(
      `mapPartitions: meta was not given and the function is async, so it cannot be inferred. ${hint}`,
    );
  if (out instanceof A.Table) return schemaOfArrow(out);
  if (out && typeof (out as any).toArrow === 'function')
    return schemaOfArrow((out as any).toArrow());
  const d = dtypeOfArray(out);
  if (d) return [{ name: 'value', dtype: d }];
  if (out && typeof out === 'object' && !Array.isArray(out)) {
    const entries = Object.entries(out as Record<string, unknown>);
    if (entries.every(([, v]) => dtypeOfArray(v)))
      return entries.map(([name, v]) => ({ name, dtype: dtypeOfArray(v)! }));
  }
  throw new MetaRequiredError(
    `mapPartitions: meta was not given and the function's result on an empty partition does not say its column types. ${hint}`,
  );
}

export { isDtype };
