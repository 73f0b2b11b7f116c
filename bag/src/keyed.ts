/**
 * Keyed reductions that give a bag of one partition: frequencies, distinct, topk and
 * foldby (Dask's fast groupby-reduce: no shuffle, partials per key merged in a tree).
 */
import { type AnyFn, blockKey, type FnRef, InvalidArgumentError, task, tokenize } from '@dusk/core';
import { Bag, type ReduceOptions } from './bag.js';
import { kernel, keySpec, splitEveryOf, type UserFn, userFn } from './kernel-ref.js';
import { type TreeReduceSpec, treeReduce } from './tree-reduce.js';

type Fn = AnyFn | FnRef;
type KeyArg = Fn | string | number;
type Parts = Pick<TreeReduceSpec, 'partial' | 'combine' | 'aggregate'>;

function reduceToBag<U>(
  input: Bag<any>,
  prefix: string,
  token: string,
  parts: Parts,
  opts?: ReduceOptions,
  inputLayers?: TreeReduceSpec['inputLayers'],
): Bag<U> {
  const splitEvery = splitEveryOf(opts?.splitEvery);
  const name = `${prefix}-${tokenize(token, splitEvery)}`;
  const { layer } = treeReduce(input, {
    prefix,
    token: tokenize(token, splitEvery),
    splitEvery,
    outKey: blockKey(name, [0]),
    inputLayers,
    ...parts,
  });
  return new Bag<U>(name, 1, layer);
}

/**
 * `[value, count]` for each distinct value (word count). `sort: true` puts the most frequent
 * first. `b.str.split().flatten().frequencies()` counts words in one pass per partition.
 * @example readText('*.txt').str.split().flatten().frequencies({ sort: true })
 */
export function frequencies<T>(
  input: Bag<T>,
  opts: ReduceOptions & { sort?: boolean } = {},
): Bag<[T, number]> {
  const sort = opts.sort ?? false;
  const token = tokenize(input.name, 'frequencies', sort);
  const merge = (ps: any[]) => task(kernel('frequenciesCombine'), [ps]);
  const aggregate = (ps: any[]) => task(kernel('frequenciesAggregate'), [ps, sort]);
  const split = input.origin?.op === 'flatten' ? input.origin.input.origin : undefined;
  if (split?.op === 'strSplit') {
    const source = split.input;
    const read = source.origin?.op === 'readText' && split.sep === null ? source.origin : undefined;
    // readText blocks are counted from their bytes: no strings of lines, no arrays of words.
    const partial = read
      ? (_p: any, i: number) => read.wordCountTasks[i]!
      : (p: any, i: number) => task(kernel('countWordsPartition'), [p, split.sep, i]);
    const parts = { partial, combine: merge, aggregate };
    return reduceToBag(source, 'frequencies', token, parts, opts, read ? [] : undefined);
  }
  const partial = (p: any) => task(kernel('frequenciesPartition'), [p]);
  return reduceToBag(input, 'frequencies', token, { partial, combine: merge, aggregate }, opts);
}

/** Distinct elements in order of first appearance; with `key`, the first element per key. */
export function distinct<T>(input: Bag<T>, key?: KeyArg, opts?: ReduceOptions): Bag<T> {
  const spec = key === undefined ? null : keySpec(key);
  const specArg = spec ? spec.arg : null;
  return reduceToBag<T>(
    input,
    'distinct',
    tokenize(input.name, spec?.id ?? null),
    {
      partial: (p) => task(kernel('distinctPartition'), [p, specArg]),
      combine: (ps) => task(kernel('distinctCombine'), [ps]),
      aggregate: (ps) => task(kernel('distinctAggregate'), [ps]),
    },
    opts,
  );
}

/** The `k` elements with the largest `key` (default: the elements), largest first. */
export function topk<T>(input: Bag<T>, k: number, key?: KeyArg, opts?: ReduceOptions): Bag<T> {
  if (!Number.isInteger(k) || k < 0) {
    throw new InvalidArgumentError(`topk(k): k must be a non-negative integer (got ${String(k)}).`);
  }
  const spec = key === undefined ? null : keySpec(key);
  const specArg = spec ? spec.arg : null;
  const merge = (ps: any[]) => task(kernel('topkCombine'), [ps, k, specArg]);
  return reduceToBag<T>(
    input,
    'topk',
    tokenize(input.name, k, spec?.id ?? null),
    {
      partial: (p) => task(kernel('topkPartition'), [p, k, specArg]),
      combine: merge,
      aggregate: merge,
    },
    opts,
  );
}

/**
 * `[key, accumulator]` per key: `binop(acc, x)` within partitions (from `initial`, or the
 * key's first element), then `combine(a, b)` across them (default binop; from
 * `combineInitial` when given).
 * @example sales.foldby('region', (total, s) => total + s.amount, 0, (a, b) => a + b)
 */
export function foldby<T, A>(
  input: Bag<T>,
  key: KeyArg,
  binop: Fn,
  rest: [A?, Fn?, A?, ReduceOptions?],
): Bag<[unknown, A]> {
  const [initial, combine, combineInitial, opts] = rest;
  const spec = keySpec(key);
  const b = userFn(binop);
  const c: UserFn = combine === undefined ? b : userFn(combine);
  const hasInit = initial !== undefined;
  const hasCombineInit = combineInitial !== undefined;
  const combineArgs = [c.arg, hasCombineInit, { quote: combineInitial }];
  const token = tokenize(
    input.name,
    spec.id,
    b.id,
    c.id,
    hasInit,
    initial,
    hasCombineInit,
    combineInitial,
  );
  return reduceToBag(
    input,
    'foldby',
    token,
    {
      partial: (p) =>
        task(kernel('foldbyPartition'), [p, spec.arg, b.arg, hasInit, { quote: initial }]),
      combine: (ps) => task(kernel('foldbyCombine'), [ps, ...combineArgs]),
      aggregate: (ps) => task(kernel('foldbyAggregate'), [ps, ...combineArgs]),
    },
    opts,
  );
}
