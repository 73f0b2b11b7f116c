/**
 * Keyed reductions: frequencies, distinct, topk and foldby (Dask's fast groupby-reduce: no
 * shuffle of elements, partials per key merged in a tree). foldby and frequencies can
 * hash-partition their output (`splitOut`); the others give a bag of one partition.
 */
import {
  type AnyFn,
  blockKey,
  type FnRef,
  InvalidArgumentError,
  refuseLossy,
  task,
  tokenize,
} from '@dusk/core';
import { Bag, type GroupReduceOptions, type ReduceOptions } from './bag.js';
import { kernel, keySpec, splitEveryOf, type UserFn, userFn } from './kernel-ref.js';
import { splitReduce } from './split-reduce.js';
import { type TreeReduceSpec, treeReduce } from './tree-reduce.js';

type Fn = AnyFn | FnRef;
type KeyArg = Fn | string | number;
type Parts = Pick<TreeReduceSpec, 'partial' | 'combine' | 'aggregate'> & {
  /** The kernel that cuts a partial into `splitOut` pieces (for splitOut > 1). */
  split?: string;
};

/**
 * Input partitions per output partition when `splitOut` is 'auto', as for dataframe groupby
 * on number keys. The number of groups is not known when the graph is built (a bag's
 * partition count is fixed then), but it is at most the number of elements, which grows
 * with the partitions: up to 32 partitions (256 MiB of text at readText's default
 * blocksize) even a group per element fits one merge task, and a split would only add
 * npartitions x splitOut small pick tasks; beyond that, each output partition merges
 * the keys of about 32 partitions' worth of input, so no one task or worker holds them all.
 */
export const AUTO_SPLIT_OUT_PARTITIONS = 32;

/** The number of output partitions: given, or chosen from the input's partition count. */
export function chooseSplitOut(npartitions: number, opt: GroupReduceOptions['splitOut']): number {
  if (opt === undefined || opt === 'auto')
    return Math.max(1, Math.ceil(npartitions / AUTO_SPLIT_OUT_PARTITIONS));
  if (!Number.isInteger(opt) || (opt as number) < 1) {
    throw new InvalidArgumentError(
      `splitOut must be a positive integer or 'auto' (got ${String(opt)}): it is the number of output partitions.`,
    );
  }
  return opt as number;
}

function reduceToBag<U>(
  input: Bag<any>,
  prefix: string,
  token: string,
  parts: Parts,
  opts: GroupReduceOptions = {},
  inputLayers?: TreeReduceSpec['inputLayers'],
): Bag<U> {
  const splitEvery = splitEveryOf(opts.splitEvery);
  const splitOut = parts.split ? chooseSplitOut(input.npartitions, opts.splitOut) : 1;
  const tok = tokenize(token, splitEvery, splitOut);
  const name = `${prefix}-${tok}`;
  const spec = { prefix, token: tok, splitEvery, inputLayers, ...parts };
  if (splitOut > 1) {
    const split = parts.split!;
    return new Bag<U>(name, splitOut, splitReduce(input, { ...spec, split, splitOut, name }));
  }
  const { layer } = treeReduce(input, { ...spec, outKey: blockKey(name, [0]) });
  return new Bag<U>(name, 1, layer);
}

/**
 * `[value, count]` for each distinct value (word count), in order of first appearance;
 * with `splitOut` partitions, value `v` goes to partition `hashKey(v) % splitOut`, in that
 * same order. `sort: true` puts the most frequent first (one partition).
 * `b.str.split().flatten().frequencies()` counts words in one pass per partition.
 * @example readText('*.txt').str.split().flatten().frequencies({ sort: true })
 */
export function frequencies<T>(
  input: Bag<T>,
  opts: GroupReduceOptions & { sort?: boolean } = {},
): Bag<[T, number]> {
  const sort = opts.sort ?? false;
  if (sort && opts.splitOut !== undefined && opts.splitOut !== 'auto' && opts.splitOut !== 1) {
    throw new InvalidArgumentError(
      `frequencies: sort: true orders all values by count, so it needs one output partition (got splitOut ${String(opts.splitOut)}). Drop sort, or use topk on the result.`,
    );
  }
  const options = sort ? { ...opts, splitOut: 1 } : opts;
  const token = tokenize(input.name, 'frequencies', sort);
  const split = input.origin?.op === 'flatten' ? input.origin.input.origin : undefined;
  if (split?.op === 'strSplit') {
    const source = split.input;
    const read = source.origin?.op === 'readText' && split.sep === null ? source.origin : undefined;
    // readText blocks are counted from their bytes: no strings of lines, no arrays of words,
    // and partials that stay bytes and typed arrays until the last step.
    if (read) {
      const parts = wordCountParts((_p, i) => read.wordCountTasks[i]!, sort);
      return reduceToBag(source, 'frequencies', token, parts, options, []);
    }
    const partial = (p: any, i: number) => task(kernel('countWordsPartition'), [p, split.sep, i]);
    return reduceToBag(source, 'frequencies', token, countParts(partial, sort), options);
  }
  const partial = (p: any) => task(kernel('frequenciesPartition'), [p]);
  return reduceToBag(input, 'frequencies', token, countParts(partial, sort), options);
}

function countParts(partial: Parts['partial'], sort: boolean): Parts {
  return {
    partial,
    combine: (ps) => task(kernel('frequenciesCombine'), [ps]),
    aggregate: (ps) => task(kernel('frequenciesAggregate'), [ps, sort]),
    split: 'keyedSplit',
  };
}

function wordCountParts(partial: Parts['partial'], sort: boolean): Parts {
  return {
    partial,
    combine: (ps) => task(kernel('wordCountsCombine'), [ps]),
    aggregate: (ps) => task(kernel('wordCountsAggregate'), [ps, sort]),
    split: 'wordCountsSplit',
  };
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
 * `combineInitial` when given). Keys come in order of first appearance; with `splitOut`
 * partitions, key `k` goes to partition `hashKey(k) % splitOut`, in that same order.
 * @example sales.foldby('region', (total, s) => total + s.amount, 0, (a, b) => a + b)
 */
export function foldby<T, A>(
  input: Bag<T>,
  key: KeyArg,
  binop: Fn,
  rest: [A?, Fn?, A?, GroupReduceOptions?],
): Bag<[unknown, A]> {
  const [initial, combine, combineInitial, opts] = rest;
  const spec = keySpec(key);
  const b = userFn(binop);
  const c: UserFn = combine === undefined ? b : userFn(combine);
  const hasInit = initial !== undefined;
  const hasCombineInit = combineInitial !== undefined;
  refuseLossy(initial, 'The initial value of foldby()');
  refuseLossy(combineInitial, 'The combine initial value of foldby()');
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
      split: 'keyedSplit',
    },
    opts,
  );
}
