/**
 * Reductions to one value, as tree reductions: fold, reduction and the numeric ones (sum,
 * count, min, max, mean, var, std). Each returns a Delayed: compute it, or pass it to
 * another bag operation or delayed call.
 */
import { type AnyFn, Delayed, type FnRef, refuseLossy, task, tokenize } from '@dusk/core';
import type { Bag, ReduceOptions } from './bag.js';
import { kernel, splitEveryOf, userFn } from './kernel-ref.js';
import { treeReduce } from './tree-reduce.js';

type Fn = AnyFn | FnRef;

function reduceToDelayed<R>(
  input: Bag<unknown>,
  prefix: string,
  token: string,
  parts: {
    partial: (p: any, i: number) => any;
    combine: (ps: any[]) => any;
    aggregate: (ps: any[]) => any;
  },
  opts?: ReduceOptions,
): Delayed<R> {
  const splitEvery = splitEveryOf(opts?.splitEvery);
  const { key, layer } = treeReduce(input, {
    prefix,
    token: tokenize(token, splitEvery),
    splitEvery,
    ...parts,
  });
  return new Delayed<R>(key, layer);
}

/**
 * Folds with `binop(acc, x)` in each partition and `combine(a, b)` across partitions
 * (default: binop). With an initial value, each partition starts from a copy of it.
 * @example range(5).fold((a, x) => a + x, (a, b) => a + b, 0) // 10
 */
export function fold<A>(
  input: Bag<any>,
  binop: Fn,
  combine: Fn | undefined,
  rest: [A?, ReduceOptions?],
): Delayed<A> {
  const [initial, opts] = rest;
  const b = userFn(binop);
  const c = combine === undefined ? b : userFn(combine);
  const has = initial !== undefined;
  refuseLossy(initial, 'The initial value of fold()');
  const init = { quote: initial };
  return reduceToDelayed<A>(
    input,
    'fold',
    tokenize(input.name, b.id, c.id, has, initial),
    {
      partial: (p) => task(kernel('foldPartition'), [p, b.arg, has, init]),
      combine: (ps) => task(kernel('foldCombine'), [ps, c.arg]),
      aggregate: (ps) => task(kernel('foldAggregate'), [ps, c.arg]),
    },
    opts,
  );
}

/**
 * `perPartition(partition)` on each partition, then `aggregate(list of partials)` at every
 * level of the tree, so `aggregate` must accept a list of its own results.
 * @example b.reduction((p) => p.length, (ns) => ns.reduce((a, n) => a + n, 0))
 */
export function reduction<R>(
  input: Bag<any>,
  perPartition: Fn,
  aggregate: Fn,
  opts?: ReduceOptions,
): Delayed<R> {
  const p = userFn(perPartition);
  const a = userFn(aggregate);
  const agg = (ps: any[]) => task(kernel('reductionAggregate'), [ps, a.arg]);
  return reduceToDelayed<R>(
    input,
    'reduction',
    tokenize(input.name, p.id, a.id),
    {
      partial: (part) => task(kernel('reductionPartition'), [part, p.arg]),
      combine: agg,
      aggregate: agg,
    },
    opts,
  );
}

export type NumericOp = 'sum' | 'count' | 'min' | 'max' | 'mean' | 'var' | 'std';

/** The built-in numeric reductions. */
export function numeric(
  input: Bag<any>,
  op: NumericOp,
  opts?: ReduceOptions,
  ddof = 0,
): Delayed<any> {
  const token = tokenize(input.name, op, ddof);
  return reduceToDelayed(input, op, token, numericParts(op, ddof), opts);
}

function numericParts(op: NumericOp, ddof: number) {
  switch (op) {
    case 'sum':
    case 'count': {
      const sum = (ps: any[]) => task(kernel('sumList'), [ps]);
      const part = op === 'sum' ? kernel('sumPartition') : kernel('countPartition');
      return { partial: (p: any, i: number) => task(part, [p, i]), combine: sum, aggregate: sum };
    }
    case 'min':
    case 'max': {
      const max = op === 'max';
      return {
        partial: (p: any) => task(kernel('extremePartition'), [p, max]),
        combine: (ps: any[]) => task(kernel('extremeCombine'), [ps, max]),
        aggregate: (ps: any[]) => task(kernel('extremeAggregate'), [ps, max]),
      };
    }
    default: {
      const aggregate =
        op === 'mean'
          ? (ps: any[]) => task(kernel('meanAggregate'), [ps])
          : (ps: any[]) => task(kernel('varianceAggregate'), [ps, ddof, op === 'std']);
      return {
        partial: (p: any, i: number) => task(kernel('momentsPartition'), [p, i]),
        combine: (ps: any[]) => task(kernel('momentsCombine'), [ps]),
        aggregate,
      };
    }
  }
}
