/**
 * User-defined reductions: `fold(binop, combine, initial)` and
 * `reduction(perPartition, aggregate)`. Fold partials are `[]` (an empty partition without
 * an initial value) or `[accumulator]`, so empty partitions need no special value.
 */
import { type FnRef, InputError } from '@dusk/core';
import { userFn } from './user-fn.js';

/** A fresh copy of an initial value, so a binop that mutates its accumulator stays local. */
export function freshInitial<T>(initial: T): T {
  return typeof initial === 'object' && initial !== null ? structuredClone(initial) : initial;
}

/** Folds one partition with `binop(acc, x)`. */
export async function foldPartition(
  part: unknown[],
  binopRef: FnRef,
  hasInitial: boolean,
  initial: unknown,
): Promise<[] | [unknown]> {
  const binop = await userFn(binopRef);
  let i = 0;
  let acc: unknown;
  if (hasInitial) acc = freshInitial(initial);
  else if (part.length === 0) return [];
  else acc = part[i++];
  for (; i < part.length; i++) acc = binop(acc, part[i]);
  return [acc];
}

/** Folds partials with `combine(a, b)`, skipping empty ones. */
export async function foldCombine(
  partials: ([] | [unknown])[],
  combineRef: FnRef,
): Promise<[] | [unknown]> {
  const combine = await userFn(combineRef);
  let has = false;
  let acc: unknown;
  for (const p of partials) {
    if (p.length === 0) continue;
    acc = has ? combine(acc, p[0]) : p[0];
    has = true;
  }
  return has ? [acc] : [];
}

/** The fold's result; an empty bag without an initial value has none. */
export async function foldAggregate(
  partials: ([] | [unknown])[],
  combineRef: FnRef,
): Promise<unknown> {
  const r = await foldCombine(partials, combineRef);
  if (r.length === 0) {
    throw new InputError(
      'fold() of an empty bag without an initial value: there is nothing to fold. ' +
        'Pass an initial value: bag.fold(binop, combine, initial).',
    );
  }
  return r[0];
}

/** `perPartition(partition)`. */
export async function reductionPartition(part: unknown[], ref: FnRef): Promise<unknown> {
  return (await userFn(ref))(part);
}

/** `aggregate(partials)`: applied at every level of the tree, then at the top. */
export async function reductionAggregate(partials: unknown[], ref: FnRef): Promise<unknown> {
  return (await userFn(ref))(partials);
}
