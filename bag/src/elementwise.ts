/**
 * Element-wise transformations: map, filter, flatMap, flatten, pluck and mapPartitions.
 * User functions are checked when the bag is built (FreeVariableError for a lambda that
 * uses outside variables: pass such values as extra arguments instead).
 */
import { type AnyFn, type FnRef, InvalidArgumentError, refuseLossy, task } from '@dusk/core';
import type { Bag } from './bag.js';
import { blockwise } from './blockwise.js';
import { extraArgs, kernel, userFn } from './kernel-ref.js';

const MAP = kernel('mapPartition');
const FILTER = kernel('filterPartition');
const FLAT_MAP = kernel('flatMapPartition');
const FLATTEN = kernel('flattenPartition');
const PLUCK = kernel('pluckPartition');
const MAP_PARTITIONS = kernel('mapPartitionsCall');

type Fn = AnyFn | FnRef;

function withFunction<U>(
  input: Bag<any>,
  op: string,
  k: FnRef,
  fn: Fn,
  args: readonly unknown[],
  indexed: boolean,
): Bag<U> {
  const f = userFn(fn);
  const extra = extraArgs(args);
  return blockwise<U>(input, {
    op,
    token: [f.id, ...extra.token],
    deps: extra.deps,
    task: (part, i) => task(k, indexed ? [part, f.arg, extra.arg, i] : [part, f.arg, extra.arg]),
  });
}

/** `fn(x, ...args)` for every element. @example range(3).map((x, k) => x * k, 10) */
export function map<U>(input: Bag<any>, fn: Fn, args: readonly unknown[] = []): Bag<U> {
  return withFunction<U>(input, 'map', MAP, fn, args, false);
}

/** Elements for which `fn(x, ...args)` is truthy. */
export function filter<T>(input: Bag<T>, fn: Fn, args: readonly unknown[] = []): Bag<T> {
  return withFunction<T>(input, 'filter', FILTER, fn, args, false);
}

/** `fn(x, ...args)` returns an array per element; the arrays are concatenated. */
export function flatMap<U>(input: Bag<any>, fn: Fn, args: readonly unknown[] = []): Bag<U> {
  return withFunction<U>(input, 'flatmap', FLAT_MAP, fn, args, true);
}

/** `fn(partition, ...args)` returns the new partition (an array). */
export function mapPartitions<U>(input: Bag<any>, fn: Fn, args: readonly unknown[] = []): Bag<U> {
  return withFunction<U>(input, 'map-partitions', MAP_PARTITIONS, fn, args, true);
}

/** Concatenates the arrays that are the elements of the bag. */
export function flatten<U>(input: Bag<any>): Bag<U> {
  return blockwise<U>(input, {
    op: 'flatten',
    token: [],
    task: (part, i) => task(FLATTEN, [part, i]),
    origin: { op: 'flatten', input },
  });
}

/**
 * `x[key]` of every element; with a list of keys, a tuple. A missing key fails naming the key
 * and the partition, unless a default is passed as the second argument.
 */
export function pluck<U>(
  input: Bag<any>,
  key: string | number | (string | number)[],
  fallback: [unknown?],
): Bag<U> {
  const single = !Array.isArray(key);
  const keys = single ? [key] : key;
  if (keys.length === 0 || keys.some((k) => typeof k !== 'string' && typeof k !== 'number')) {
    throw new InvalidArgumentError(
      `pluck(key): key must be a string, a number or a non-empty list of them (got ${JSON.stringify(key)}).`,
    );
  }
  const hasDefault = fallback.length > 0;
  const value = hasDefault ? fallback[0] : null;
  refuseLossy(value, 'The default value of pluck()');
  return blockwise<U>(input, {
    op: 'pluck',
    token: [keys, single, hasDefault, value],
    task: (part, i) =>
      task(PLUCK, [part, { quote: keys }, single, hasDefault, { quote: value }, i]),
  });
}
