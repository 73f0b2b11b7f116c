/**
 * Keyed reductions: frequencies, distinct, topk and foldby. Partials are `[keys, values]`
 * columns (a Map does not survive msgpack between processes; counts are a Float64Array);
 * merging walks them in partition order, so results come out in the same order on every
 * scheduler. With `splitOut`, `keyedSplit` cuts a partial into one per output partition.
 */
import { allocate, type FnRef } from '@dusk/core';
import { freshInitial } from './fold.js';
import { bucketOf } from './hash.js';
import { KeyIndex } from './key-index.js';
import { type KeySpec, keyGetter, userFn } from './user-fn.js';

export type KeyedPartial = [unknown[], ArrayLike<unknown>];
export type CountsPartial = [unknown[], Float64Array];

/** Occurrences of each distinct element of a partition. */
export function frequenciesPartition(part: unknown[]): CountsPartial {
  const index = new KeyIndex();
  const counts: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const s = index.slotOf(part[i]);
    if (s === counts.length) counts.push(1);
    else counts[s]!++;
  }
  return [index.keys, toFloat64(counts)];
}

/** Adds up frequency partials. */
export function frequenciesCombine(partials: CountsPartial[]): CountsPartial {
  const index = new KeyIndex();
  const counts: number[] = [];
  for (const [keys, ns] of partials) {
    for (let i = 0; i < keys.length; i++) {
      const s = index.slotOf(keys[i]);
      if (s === counts.length) counts.push(ns[i]!);
      else counts[s]! += ns[i]!;
    }
  }
  return [index.keys, toFloat64(counts)];
}

/** `[value, count]` pairs; most frequent first when `sort` (ties keep first appearance). */
export function frequenciesAggregate(
  partials: CountsPartial[],
  sort: boolean,
): [unknown, number][] {
  const [keys, counts] = frequenciesCombine(partials);
  return countPairs(keys, counts, sort);
}

/** `[key, count]` pairs; most frequent first when `sort` (a stable sort: ties keep their order). */
export function countPairs(
  keys: unknown[],
  counts: ArrayLike<number>,
  sort: boolean,
): [unknown, number][] {
  const out = toPairs(keys, counts) as [unknown, number][];
  if (sort) out.sort((a, b) => b[1] - a[1]);
  return out;
}

function toFloat64(xs: number[]): Float64Array {
  const out = allocate(Float64Array, xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i]!;
  return out;
}

/**
 * `nOut` partials, key `k` in partial `bucketOf(k, nOut)`, each in the order of `partial`
 * (values stay a Float64Array when they were one).
 */
export function keyedSplit(partial: KeyedPartial, nOut: number): KeyedPartial[] {
  const [keys, values] = partial;
  const out: [unknown[], unknown[]][] = [];
  for (let b = 0; b < nOut; b++) out.push([[], []]);
  for (let i = 0; i < keys.length; i++) {
    const piece = out[bucketOf(keys[i], nOut)]!;
    piece[0].push(keys[i]);
    piece[1].push(values[i]);
  }
  if (!(values instanceof Float64Array)) return out;
  return out.map(([k, v]) => [k, toFloat64(v as number[])]);
}

function toPairs(keys: unknown[], values: ArrayLike<unknown>): [unknown, unknown][] {
  const out = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = [keys[i], values[i]];
  return out;
}

/** First element of each distinct key (the element itself when no key is given). */
export async function distinctPartition(
  part: unknown[],
  spec: KeySpec | null,
): Promise<KeyedPartial> {
  const key = spec ? await keyGetter(spec) : null;
  const index = new KeyIndex();
  const firsts: unknown[] = [];
  for (let i = 0; i < part.length; i++) {
    const x = part[i];
    if (index.slotOf(key ? key(x) : x) === firsts.length) firsts.push(x);
  }
  return [index.keys, firsts];
}

/** Merges distinct partials, keeping the earliest element of each key. */
export function distinctCombine(partials: KeyedPartial[]): KeyedPartial {
  const index = new KeyIndex();
  const firsts: unknown[] = [];
  for (const [keys, xs] of partials) {
    for (let i = 0; i < keys.length; i++)
      if (index.slotOf(keys[i]) === firsts.length) firsts.push(xs[i]);
  }
  return [index.keys, firsts];
}

/** The distinct elements. */
export function distinctAggregate(partials: KeyedPartial[]): unknown[] {
  return distinctCombine(partials)[1] as unknown[];
}

/** The `k` elements with the largest keys, largest first; ties keep their order. */
export async function topkPartition(
  part: unknown[],
  k: number,
  spec: KeySpec | null,
): Promise<unknown[]> {
  const key = spec ? await keyGetter(spec) : (x: unknown) => x;
  const n = part.length;
  const keys = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = key(part[i]);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Array sort is stable, so equal keys stay in input order.
  order.sort((a, b) => (keys[a] > keys[b] ? -1 : keys[a] < keys[b] ? 1 : 0));
  const m = Math.min(k, n);
  const out = new Array(m);
  for (let i = 0; i < m; i++) out[i] = part[order[i]!];
  return out;
}

/** Merges top-k partials (each sorted) into the top `k` overall. */
export function topkCombine(
  partials: unknown[][],
  k: number,
  spec: KeySpec | null,
): Promise<unknown[]> {
  const all: unknown[] = [];
  for (const p of partials) for (let i = 0; i < p.length; i++) all.push(p[i]);
  return topkPartition(all, k, spec);
}

/** Per-key `binop(acc, x)` over a partition, starting from `initial` or the key's first element. */
export async function foldbyPartition(
  part: unknown[],
  spec: KeySpec,
  binopRef: FnRef,
  hasInitial: boolean,
  initial: unknown,
): Promise<KeyedPartial> {
  const key = await keyGetter(spec);
  const binop = await userFn(binopRef);
  const index = new KeyIndex();
  const accs: unknown[] = [];
  for (let i = 0; i < part.length; i++) {
    const x = part[i];
    const s = index.slotOf(key(x));
    if (s === accs.length) accs.push(hasInitial ? binop(freshInitial(initial), x) : x);
    else accs[s] = binop(accs[s], x);
  }
  return [index.keys, accs];
}

/** Merges foldby partials with `combine(a, b)`, from `combineInitial` when given. */
export async function foldbyCombine(
  partials: KeyedPartial[],
  combineRef: FnRef,
  hasInitial: boolean,
  initial: unknown,
): Promise<KeyedPartial> {
  const combine = await userFn(combineRef);
  const index = new KeyIndex();
  const accs: unknown[] = [];
  for (const [keys, vs] of partials) {
    for (let i = 0; i < keys.length; i++) {
      const s = index.slotOf(keys[i]);
      if (s === accs.length) accs.push(hasInitial ? combine(freshInitial(initial), vs[i]) : vs[i]);
      else accs[s] = combine(accs[s], vs[i]);
    }
  }
  return [index.keys, accs];
}

/** `[key, value]` pairs of the merged partials. */
export async function foldbyAggregate(
  partials: KeyedPartial[],
  combineRef: FnRef,
  hasInitial: boolean,
  initial: unknown,
): Promise<[unknown, unknown][]> {
  const [keys, accs] = await foldbyCombine(partials, combineRef, hasInitial, initial);
  return toPairs(keys, accs);
}
