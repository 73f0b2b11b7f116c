/**
 * take: the first elements of a bag, computed now, reading only the first partitions
 * (Dask's `take`), for a quick look at large data.
 */
import {
  blockKey,
  type ComputeOptions,
  Delayed,
  getComputeEngine,
  InvalidArgumentError,
  layer,
  ref,
  task,
  tokenize,
} from '@dusk/core';
import type { Bag } from './bag.js';
import { kernel } from './kernel-ref.js';

/** @example await readText('logs/*.json').map(JSON.parse).take(5) */
export async function take<T>(
  input: Bag<T>,
  k: number,
  opts: ComputeOptions & { npartitions?: number } = {},
): Promise<T[]> {
  const { npartitions = 1, ...computeOpts } = opts;
  if (!Number.isInteger(k) || k < 0)
    throw new InvalidArgumentError(`take(k): k must be a non-negative integer (got ${String(k)}).`);
  const n = npartitions === -1 ? input.npartitions : Math.min(npartitions, input.npartitions);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(
      `take: npartitions must be a positive integer or -1 for all (got ${String(npartitions)}).`,
    );
  }
  const key = `take-${tokenize(input.name, k, n)}`;
  const parts = Array.from({ length: n }, (_, i) => ref(blockKey(input.name, [i])));
  const d = new Delayed<T[]>(
    key,
    layer(key, new Map([[key, task(kernel('takeFirst'), [parts, k])]]), [input.layer]),
  );
  const engine = await getComputeEngine();
  return (await engine.compute([d], computeOpts))[0] as T[];
}
