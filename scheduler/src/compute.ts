/**
 * compute and persist: merge the graphs of several collections into one (so shared work
 * runs once), optimize it, run it on the chosen scheduler and finalize each result. A
 * scheduler that can keep results on its workers persists there: the persisted graph then
 * holds markers (see core's held.ts) instead of values.
 */
import {
  COLLECTION,
  type Collection,
  type CollectionSpec,
  type ComputeOptions,
  config,
  type Graph,
  type HeldMarker,
  InvalidArgumentError,
  isCollection,
  type Key,
  layer,
  materialize,
  optimize,
  setComputeEngine,
  tokenize,
} from '@dusk/core';
import { trackHeld } from './held-owners.js';
import { insidePoolWorker } from './local/worker-flag.js';
import { readHeld } from './read-held.js';
import { getScheduler, type RunOptions, type Scheduler } from './scheduler.js';

type ResultOf<C> = C extends { compute(...a: any[]): Promise<infer R> } ? R : unknown;
type Results<T extends readonly unknown[]> = { -readonly [I in keyof T]: ResultOf<T[I]> };

function splitArgs(args: unknown[]): { collections: Collection[]; opts: ComputeOptions } {
  const last = args[args.length - 1];
  const hasOpts =
    args.length > 0 && !isCollection(last) && typeof last === 'object' && last !== null;
  const collections = (hasOpts ? args.slice(0, -1) : args) as Collection[];
  collections.forEach((c, i) => {
    if (!isCollection(c)) {
      throw new InvalidArgumentError(
        `compute(): argument ${i} is not a Dusk collection (got ${typeof c}).`,
      );
    }
  });
  return { collections, opts: (hasOpts ? last : {}) as ComputeOptions };
}

/** The one graph and output keys for several collections, optimized unless switched off. */
export function buildGraph(
  specs: readonly CollectionSpec[],
  opts: ComputeOptions = {},
): { graph: Graph; keys: Key[] } {
  let graph = materialize(specs.map((s) => s.layer));
  const keys = [...new Set(specs.flatMap((s) => s.keys))];
  if (opts.optimize ?? config.get('optimize')) {
    const passes = new Set(specs.map((s) => s.optimize).filter((p) => p !== undefined));
    for (const pass of passes) graph = pass(graph, keys);
    graph = optimize(graph, keys);
  }
  return { graph, keys };
}

function chosenScheduler(opts: ComputeOptions): Scheduler {
  return getScheduler(opts.scheduler ?? config.get('scheduler'), {
    workers: opts.workers,
    address: opts.address,
    token: opts.token,
  });
}

async function runValues(
  specs: readonly CollectionSpec[],
  opts: ComputeOptions,
  persisting = false,
): Promise<Map<Key, unknown>> {
  const scheduler = chosenScheduler(opts);
  scheduler.starting?.();
  const { graph, keys } = buildGraph(specs, opts);
  const run: RunOptions = { signal: opts.signal, onProgress: opts.onProgress };
  const g = await readHeld(graph, scheduler);
  // A compute inside a pool worker runs on sync there: nothing to keep on other workers.
  if (persisting && scheduler.persist && !insidePoolWorker()) {
    const markers: HeldMarker[] = await scheduler.persist(g, keys, run);
    trackHeld(markers);
    return new Map(keys.map((k, i) => [k, markers[i]]));
  }
  const values = await scheduler.run(g, keys, run);
  return new Map(keys.map((k, i) => [k, values[i]]));
}

async function computeList(
  collections: readonly Collection[],
  opts: ComputeOptions = {},
): Promise<unknown[]> {
  const specs = collections.map((c) => c[COLLECTION]());
  const byKey = await runValues(specs, opts);
  return specs.map((s) => s.finalize(s.keys.map((k) => byKey.get(k))));
}

async function persistList(
  collections: readonly Collection[],
  opts: ComputeOptions = {},
): Promise<Collection[]> {
  const specs = collections.map((c) => c[COLLECTION]());
  const byKey = await runValues(specs, opts, true);
  return specs.map((s) => {
    const name = `persist-${tokenize(s.layer.name)}`;
    return s.rebuild(layer(name, new Map(s.keys.map((k) => [k, { value: byKey.get(k) }]))));
  });
}

/**
 * Computes several collections in one graph, so work they share runs once.
 * @example const [total, n] = await compute(sum, count, { scheduler: 'threads' });
 */
export async function compute<T extends readonly Collection[]>(
  ...args: [...T] | [...T, ComputeOptions]
): Promise<Results<T>> {
  const { collections, opts } = splitArgs(args);
  return (await computeList(collections, opts)) as Results<T>;
}

/**
 * Computes collections and returns copies whose graphs hold the results, for reuse.
 * @example const [x2] = await persist(x.mul(2));
 */
export async function persist<T extends readonly Collection[]>(
  ...args: [...T] | [...T, ComputeOptions]
): Promise<T> {
  const { collections, opts } = splitArgs(args);
  return (await persistList(collections, opts)) as unknown as T;
}

setComputeEngine({ compute: computeList, persist: persistList });
