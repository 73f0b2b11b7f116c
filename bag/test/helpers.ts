/**
 * Test helpers: the same values under awkward partitionings (one partition, uneven ones,
 * empty partitions at the end and in the middle, one element), and the schedulers to run
 * on: sync plus any local pool that has landed.
 */
import { type Bag, fromDelayed, fromSequence } from '@dusk/bag';
import { type Collection, delayed } from '@dusk/core';
import { compute, schedulerNames } from '@dusk/scheduler';

/** Schedulers every bag test runs on (sync always; threads and processes once registered). */
export const SCHEDULERS = schedulerNames().filter((s) =>
  ['sync', 'threads', 'processes'].includes(s),
);

/** Values of mixed shapes, for operations that do not care what an element is. */
export const MIXED: unknown[] = [
  1,
  'a',
  null,
  { a: 1, b: [2] },
  [1, 2],
  true,
  2.5,
  '',
  0,
  { a: 1, b: [2] },
];

/** A bag of exactly these partitions (empty ones allowed anywhere). */
export function bagOfParts<T>(parts: T[][]): Bag<T> {
  return fromDelayed(parts.map((p) => delayed(p, { name: 'part' }))) as Bag<T>;
}

/** The same values under several partitionings, labelled. */
export function partitionings<T>(values: T[]): [string, Bag<T>][] {
  const mid = values.length >> 1;
  return [
    ['one partition', fromSequence(values, { npartitions: 1 })],
    ['3 partitions', fromSequence(values, { npartitions: 3 })],
    ['more partitions than values', fromSequence(values, { npartitions: values.length + 2 })],
    [
      'empty partitions in the middle',
      bagOfParts([[], values.slice(0, mid), [], [], values.slice(mid), []]),
    ],
  ];
}

/** Computes on a scheduler (2 workers for pools). */
export async function run<R>(
  c: Collection & { compute(o?: object): Promise<R> },
  scheduler: string,
): Promise<R> {
  return (await compute(c, { scheduler, workers: scheduler === 'sync' ? undefined : 2 }))[0] as R;
}

/**
 * Every partitioning on sync, and the most awkward one (empty partitions in the middle) on
 * each pool scheduler: pools run the same kernels, so more partitionings there would repeat
 * sync's checks at the cost of pool round trips (the conformance suite runs the full cross).
 */
export function cases<T>(values: T[]): [string, string, Bag<T>][] {
  const out: [string, string, Bag<T>][] = [];
  const all = partitionings(values);
  for (const [label, bag] of all) out.push([label, 'sync', bag]);
  const [label, bag] = all[all.length - 1]!;
  for (const s of SCHEDULERS) if (s !== 'sync') out.push([label, s, bag]);
  return out;
}
