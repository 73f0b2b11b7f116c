/**
 * The hash shuffle behind groupby: each input partition is split into one bucket per output
 * partition by a stable hash of the key; each output partition then gathers its bucket from
 * every input and groups it. Buckets hold `[key, element]` so the key function runs once.
 */
import { bucketOf } from './hash.js';
import { KeyIndex } from './key-index.js';
import { type KeySpec, keyGetter } from './user-fn.js';

/** `nOut` buckets of `[key, element]` pairs. */
export async function hashSplit(
  part: unknown[],
  spec: KeySpec,
  nOut: number,
): Promise<unknown[][][]> {
  const key = await keyGetter(spec);
  const buckets: unknown[][][] = [];
  for (let b = 0; b < nOut; b++) buckets.push([]);
  for (let i = 0; i < part.length; i++) {
    const x = part[i];
    const k = key(x);
    buckets[bucketOf(k, nOut)]!.push([k, x]);
  }
  return buckets;
}

/** Groups the buckets of one output partition: `[key, elements]`, in input order. */
export function collectGroups(buckets: [unknown, unknown][][]): [unknown, unknown[]][] {
  const index = new KeyIndex();
  const groups: unknown[][] = [];
  for (const bucket of buckets) {
    for (let i = 0; i < bucket.length; i++) {
      const [k, x] = bucket[i]!;
      const s = index.slotOf(k);
      if (s === groups.length) groups.push([x]);
      else groups[s]!.push(x);
    }
  }
  const out = new Array(groups.length);
  for (let s = 0; s < groups.length; s++) out[s] = [index.keys[s], groups[s]];
  return out;
}
