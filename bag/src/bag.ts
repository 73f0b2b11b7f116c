/**
 * The Bag: a lazy, partitioned collection of plain values (records, lines, tuples), Dask's
 * `dask.bag`. A bag is a name, a partition count and the layer of tasks that make its
 * partitions `name:0 ... name:n-1`, each an array. Methods are one-line delegations to
 * the module that defines each operation.
 */
import {
  type AnyFn,
  COLLECTION,
  type CollectionSpec,
  type ComputeOptions,
  Delayed,
  type FnRef,
  getComputeEngine,
  type Key,
  type Layer,
  type Task,
  TOKEN,
  visualize,
} from '@dusk/core';
import * as el from './elementwise.js';
import { groupby } from './groupby.js';
import * as keyed from './keyed.js';
import * as red from './reductions.js';
import { repartition } from './repartition.js';
import { StringMethods } from './string-methods.js';
import { take } from './take.js';
import { type FrameMeta, toDataFrame } from './to-dataframe.js';
import { type ToTextFilesOptions, toTextFiles } from './to-text-files.js';
import { product, zip } from './zip.js';

type Fn = AnyFn | FnRef;
type KeyArg = Fn | string | number;
export interface ReduceOptions {
  /** Partials combined per step of the tree reduction (default: config 'splitEvery'). */
  splitEvery?: number;
}

/** Options of the keyed reductions whose output can be hash-partitioned (foldby, frequencies). */
export interface GroupReduceOptions extends ReduceOptions {
  /**
   * Output partitions, keys spread over them by a stable hash; 'auto' (default): one per
   * 32 input partitions (see `AUTO_SPLIT_OUT_PARTITIONS`).
   */
  splitOut?: number | 'auto';
}

/**
 * How a bag was made, kept only where a later operation can do better knowing it
 * (frequencies of `str.split().flatten()` counts words without the word arrays).
 */
export type BagOrigin =
  | { readonly op: 'strSplit'; readonly input: Bag<unknown>; readonly sep: string | null }
  | { readonly op: 'flatten'; readonly input: Bag<unknown> }
  | { readonly op: 'readText'; readonly wordCountTasks: readonly Task[] };

/** A lazy bag of values of type T. Build one with fromSequence, range, readText or fromDelayed. */
export class Bag<T = unknown> {
  constructor(
    readonly name: string,
    readonly npartitions: number,
    readonly layer: Layer,
    readonly origin?: BagOrigin,
  ) {}

  [COLLECTION](): CollectionSpec {
    return {
      layer: this.layer,
      keys: this.partitionKeys(),
      finalize: (values) => (values as unknown[][]).flat(1),
      rebuild: (l) => new Bag<T>(this.name, this.npartitions, l),
    };
  }

  [TOKEN](): string {
    return this.name;
  }

  /** The keys of the partitions, in order. @example range(4, { npartitions: 2 }).partitionKeys() // ['range-…:0', 'range-…:1'] */
  partitionKeys(): Key[] {
    const keys = new Array<Key>(this.npartitions);
    for (let i = 0; i < this.npartitions; i++) keys[i] = `${this.name}:${i}`;
    return keys;
  }

  /** All elements, partitions in order. @example await range(5).compute() // [0, 1, 2, 3, 4] */
  async compute(opts?: ComputeOptions): Promise<T[]> {
    const engine = await getComputeEngine();
    return (await engine.compute([this], opts))[0] as T[];
  }

  /** Computes the partitions and returns a bag whose graph holds them. @example const cached = await b.persist() */
  async persist(opts?: ComputeOptions): Promise<Bag<T>> {
    const engine = await getComputeEngine();
    return (await engine.persist([this], opts))[0] as Bag<T>;
  }

  /** One Delayed per partition (each computes to an array). @example const parts = b.toDelayed() */
  toDelayed(): Delayed<T[]>[] {
    return this.partitionKeys().map((k) => new Delayed<T[]>(k, this.layer));
  }

  /** Writes the graph to `path` (.dot, or .svg/.png with Graphviz); returns the DOT text. @example b.visualize('bag.svg') */
  visualize(path = 'bag.dot'): string {
    return visualize([this], path);
  }

  /** @example range(4).map((x) => x * x) */
  map<U>(fn: ((x: T, ...args: any[]) => U) | FnRef, ...args: unknown[]): Bag<U> {
    return el.map(this, fn, args);
  }
  /** @example range(10).filter((x) => x % 2 === 0) */
  filter(fn: ((x: T, ...args: any[]) => unknown) | FnRef, ...args: unknown[]): Bag<T> {
    return el.filter(this, fn, args);
  }
  /** @example lines.flatMap((l) => l.split(' ')) */
  flatMap<U>(fn: ((x: T, ...args: any[]) => U[]) | FnRef, ...args: unknown[]): Bag<U> {
    return el.flatMap(this, fn, args);
  }
  /** @example fromSequence([[1, 2], [3]]).flatten() // 1, 2, 3 */
  flatten(): Bag<T extends readonly (infer E)[] ? E : unknown> {
    return el.flatten(this);
  }
  /** @example records.pluck('name'); records.pluck(['name', 'age']); records.pluck('x', null) */
  pluck(key: string | number | (string | number)[], ...fallback: [unknown?]): Bag<any> {
    return el.pluck(this, key, fallback);
  }
  /** @example b.mapPartitions((part) => part.slice(0, 1)) */
  mapPartitions<U>(fn: ((part: T[], ...args: any[]) => U[]) | FnRef, ...args: unknown[]): Bag<U> {
    return el.mapPartitions(this, fn, args);
  }
  /** String methods applied to each element: split, lower, upper, strip. @example lines.str.lower() */
  get str(): StringMethods {
    return new StringMethods(this as Bag<unknown>);
  }

  /** Unique elements (or the first element of each distinct key), one partition. @example b.distinct() */
  distinct(key?: KeyArg, opts?: ReduceOptions): Bag<T> {
    return keyed.distinct(this, key, opts);
  }
  /** @example b.repartition(4) */
  repartition(npartitions: number): Bag<T> {
    return repartition(this, npartitions);
  }
  /** Tuples of elements of equally partitioned bags. @example a.zip(b) */
  zip<U>(...others: Bag<U>[]): Bag<[T, ...U[]]> {
    return zip(this, others);
  }
  /** Every pair `[a, b]`: a.npartitions * b.npartitions partitions. @example a.product(b) */
  product<U>(other: Bag<U>): Bag<[T, U]> {
    return product(this, other);
  }

  /** @example range(5).fold((a, b) => a + b, (a, b) => a + b, 0) */
  fold<A>(
    binop: ((acc: A, x: T) => A) | FnRef,
    combine?: ((a: A, b: A) => A) | FnRef,
    ...rest: [A?, ReduceOptions?]
  ): Delayed<A> {
    return red.fold(this, binop, combine, rest);
  }
  /** @example b.reduction((part) => part.length, (counts) => counts.reduce((a, c) => a + c, 0)) */
  reduction<P, R = P>(
    perPartition: ((part: T[]) => P) | FnRef,
    aggregate: ((partials: P[]) => R) | FnRef,
    opts?: ReduceOptions,
  ): Delayed<R> {
    return red.reduction(this, perPartition, aggregate, opts);
  }
  /** Sum of numbers, as a tree reduction. @example await range(5).sum().compute() // 10 */
  sum(opts?: ReduceOptions): Delayed<number> {
    return red.numeric(this, 'sum', opts);
  }
  /** Number of elements. @example await lines.count().compute() */
  count(opts?: ReduceOptions): Delayed<number> {
    return red.numeric(this, 'count', opts);
  }
  /** Smallest element (numbers or strings); an empty bag is an error. @example b.min() */
  min(opts?: ReduceOptions): Delayed<T> {
    return red.numeric(this, 'min', opts) as Delayed<T>;
  }
  /** Largest element (numbers or strings); an empty bag is an error. @example b.max() */
  max(opts?: ReduceOptions): Delayed<T> {
    return red.numeric(this, 'max', opts) as Delayed<T>;
  }
  /** Mean of numbers (NaN for an empty bag). @example await range(5).mean().compute() // 2 */
  mean(opts?: ReduceOptions): Delayed<number> {
    return red.numeric(this, 'mean', opts);
  }
  /** Variance with `ddof` delta degrees of freedom (default 0, like Dask). @example b.var(1) */
  var(ddof = 0, opts?: ReduceOptions): Delayed<number> {
    return red.numeric(this, 'var', opts, ddof);
  }
  /** Standard deviation with `ddof` delta degrees of freedom (default 0, like Dask). @example b.std() */
  std(ddof = 0, opts?: ReduceOptions): Delayed<number> {
    return red.numeric(this, 'std', opts, ddof);
  }
  /**
   * `[value, count]` pairs; one partition, or `splitOut` by a hash of the value.
   * @example words.frequencies({ sort: true })
   */
  frequencies(opts?: GroupReduceOptions & { sort?: boolean }): Bag<[T, number]> {
    return keyed.frequencies(this, opts);
  }
  /** The `k` largest elements (by `key`), largest first, one partition. @example b.topk(3, 'score') */
  topk(k: number, key?: KeyArg, opts?: ReduceOptions): Bag<T> {
    return keyed.topk(this, k, key, opts);
  }
  /**
   * Group-and-reduce without a shuffle of elements: `[key, accumulator]` pairs, in one
   * partition or `splitOut` by a hash of the key.
   * @example people.foldby('city', (n, _p) => n + 1, 0, (a, b) => a + b)
   */
  foldby<A>(
    key: KeyArg,
    binop: ((acc: A, x: T) => A) | FnRef,
    ...rest: [A?, (((a: A, b: A) => A) | FnRef)?, A?, GroupReduceOptions?]
  ): Bag<[unknown, A]> {
    return keyed.foldby(this, key, binop, rest);
  }
  /** `[key, elements]` for each key, by a hash shuffle into `npartitions` partitions. @example b.groupby((r) => r.user) */
  groupby(key: KeyArg, opts?: { npartitions?: number }): Bag<[unknown, T[]]> {
    return groupby(this, key, opts);
  }

  /** The first `k` elements (computed now), from the first `npartitions` partitions. @example await b.take(5) */
  take(k: number, opts?: ComputeOptions & { npartitions?: number }): Promise<T[]> {
    return take(this, k, opts);
  }
  /**
   * A dataframe of the records (objects, or tuples in column order), one frame partition per
   * bag partition. Async: @dusk/dataframe is loaded on first use.
   * @example const df = await records.toDataFrame({ name: 'string', age: 'int32' });
   */
  toDataFrame<F = any>(meta: FrameMeta): Promise<F> {
    return toDataFrame<F>(this as Bag<unknown>, meta);
  }
  /** Writes one file per partition (`*` in the pattern is the partition number); returns paths. @example await b.toTextFiles('out/*.txt') */
  toTextFiles(pattern: string, opts?: ToTextFilesOptions): Promise<string[]> {
    return toTextFiles(this, pattern, opts);
  }

  toString(): string {
    return `Bag<${this.name}, npartitions=${this.npartitions}>`;
  }
}
