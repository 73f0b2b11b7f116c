/**
 * toDataFrame: a bag of records as a @dusk/dataframe frame, one frame partition per bag
 * partition. Bags do not depend on dataframes (and dataframes' toBag depends on bags), so
 * @dusk/dataframe is imported on first use, which makes this call async.
 */
import { InvalidArgumentError, task } from '@dusk/core';
import type { Bag } from './bag.js';
import { blockwise } from './blockwise.js';
import { kernel } from './kernel-ref.js';

/** Column names and dtypes: `{ name: dtype }`, `[{ name, dtype }]`, `[name, dtype]` or a dtype. */
export type FrameMeta =
  | Record<string, string>
  | readonly { name: string; dtype: string }[]
  | readonly [string, string]
  | string;

const DATAFRAME = '@dusk/dataframe';

/** The meta's column names, and whether elements are single values rather than records. */
export function metaColumns(meta: FrameMeta): { names: string[]; single: boolean } {
  if (typeof meta === 'string') return { names: ['value'], single: true };
  if (Array.isArray(meta)) {
    if (meta.length === 2 && typeof meta[0] === 'string' && typeof meta[1] === 'string') {
      return { names: [meta[0]], single: true };
    }
    return { names: (meta as { name: string }[]).map((f) => f.name), single: false };
  }
  if (meta && typeof meta === 'object') return { names: Object.keys(meta), single: false };
  throw new InvalidArgumentError(
    "toDataFrame(meta): pass the columns and dtypes, e.g. { name: 'string', age: 'int32' }.",
  );
}

/**
 * @example
 * const people = await readText('people.jsonl').map((l) => JSON.parse(l)).toDataFrame({ name: 'string', age: 'int32' });
 * await people.age.mean().compute();
 */
export async function toDataFrame<F = any>(input: Bag<unknown>, meta: FrameMeta): Promise<F> {
  const { names, single } = metaColumns(meta);
  let frames: { fromDelayed(parts: unknown[], opts: { meta: unknown }): F };
  try {
    frames = await import(DATAFRAME);
  } catch (e) {
    throw new InvalidArgumentError(
      `toDataFrame needs ${DATAFRAME}: install it next to @dusk/bag (${(e as Error).message}).`,
    );
  }
  const columns = blockwise(input, {
    op: 'to-columns',
    token: [names, single],
    task: (part, i) => task(kernel('recordsToColumns'), [part, { quote: names }, single, i]),
  });
  return frames.fromDelayed(columns.toDelayed(), { meta });
}
