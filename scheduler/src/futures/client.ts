/**
 * Client: the futures interface (Dask's `Client.submit/map/gather`, `as_completed`,
 * `progress`) over a local scheduler or a cluster's scheduler server. Work starts when submitted; each future resolves
 * on its own, so results can be used as they arrive.
 */
import {
  type AnyFn,
  type Collection,
  type ComputeOptions,
  config,
  delayed,
  type FnRef,
  InvalidArgumentError,
  toFnRef,
} from '@dusk/core';
import { compute } from '../compute.js';
import { Future, isFuture } from './future.js';

export interface ClientOptions {
  /**
   * 'threads' (default), 'processes', 'sync', or 'distributed' (the default when an
   * `address` is given, or when config says 'distributed').
   */
  scheduler?: string;
  workers?: number;
  /** A scheduler server to connect to, `ws://host:8786` (Dask's `Client(address)`). */
  address?: string;
  /** The cluster's token, if it has one. */
  token?: string;
}

function defaultScheduler(options: ClientOptions): string {
  if (options.scheduler) return options.scheduler;
  if (options.address) return 'distributed';
  const configured = config.get('scheduler');
  return configured === 'sync' || configured === 'distributed' ? configured : 'threads';
}

export interface SubmitOptions {
  /** Key prefix (default: the function's name). */
  name?: string;
  /** Content-based key: the same call submitted twice shares one future. */
  pure?: boolean;
}

/** Replaces futures (also inside arrays and plain objects) by their values. */
async function resolveArgs(value: unknown): Promise<unknown> {
  if (isFuture(value)) return value.result();
  if (Array.isArray(value)) return Promise.all(value.map(resolveArgs));
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await resolveArgs(v)]),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Stands futures in for their keys, so a call's key can be worked out before they settle. */
function futureKeys(value: unknown): unknown {
  if (isFuture(value)) return { future: value.key };
  if (Array.isArray(value)) return value.map(futureKeys);
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  )
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, futureKeys(v)]));
  return value;
}

/**
 * @example
 * const client = new Client({ workers: 2 });
 * const futures = client.map((x: number) => x * x, [1, 2, 3]);
 * await client.gather(futures); // [1, 4, 9]
 */
export class Client {
  private readonly opts: ComputeOptions;
  private readonly live = new Set<Future>();
  private readonly pureFutures = new Map<string, Future>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(options: ClientOptions = {}) {
    this.opts = {
      scheduler: defaultScheduler(options),
      workers: options.workers,
      address: options.address,
      token: options.token,
      signal: this.abort.signal,
    };
  }

  /** Runs `fn(...args)` now; args may be futures or plain values. */
  submit<F extends AnyFn>(
    fn: F | FnRef,
    args: unknown[] = [],
    opts: SubmitOptions = {},
  ): Future<Awaited<ReturnType<F>>> {
    this.assertOpen();
    const call = delayed(toFnRef(fn as AnyFn | FnRef), { name: opts.name, pure: opts.pure });
    const probe = call(...(futureKeys(args) as unknown[]));
    const known = opts.pure ? this.pureFutures.get(probe.key) : undefined;
    if (known) return known as Future<Awaited<ReturnType<F>>>;
    const work = resolveArgs(args).then((values) =>
      call(...(values as unknown[])).compute(this.opts),
    );
    const future = this.track(new Future(probe.key, work as Promise<Awaited<ReturnType<F>>>));
    if (opts.pure) this.pureFutures.set(probe.key, future);
    return future;
  }

  /**
   * Submits `fn(a[i], b[i], ...)` for each position of the iterables (Dask's
   * `client.map(func, *iterables)`), stopping at the shortest. Options may come last.
   * @example client.map((a, b) => a + b, [1, 2], [10, 20]) // futures of 11, 22
   */
  map<R>(
    fn: ((...items: any[]) => R) | FnRef,
    ...rest: (Iterable<unknown> | SubmitOptions)[]
  ): Future<Awaited<R>>[] {
    const last = rest[rest.length - 1];
    const hasOpts = last !== undefined && !(Symbol.iterator in Object(last));
    const opts = (hasOpts ? last : {}) as SubmitOptions;
    const columns = (hasOpts ? rest.slice(0, -1) : rest).map((it) => [
      ...(it as Iterable<unknown>),
    ]);
    if (columns.length === 0)
      throw new InvalidArgumentError('client.map(fn, ...iterables): give at least one iterable.');
    const n = Math.min(...columns.map((c) => c.length));
    const out: Future<Awaited<R>>[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        this.submit(
          fn as AnyFn,
          columns.map((c) => c[i]),
          opts,
        ) as Future<Awaited<R>>,
      );
    }
    return out;
  }

  /** Starts computing a collection and returns a future of its result. */
  compute<C extends Collection>(collection: C): Future<unknown> {
    this.assertOpen();
    const work = compute(collection, this.opts).then((r) => r[0]);
    return this.track(new Future(`compute-${this.live.size}`, work));
  }

  /** Waits for futures (also nested in arrays) and returns their values. */
  async gather<T>(futures: Future<T>[]): Promise<T[]>;
  async gather<T>(future: Future<T>): Promise<T>;
  async gather(futures: unknown): Promise<unknown> {
    return resolveArgs(futures);
  }

  /** Cancels running work and refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort('the client was closed');
    await Promise.allSettled([...this.live].map((f) => f.result()));
  }

  private track<T>(f: Future<T>): Future<T> {
    this.live.add(f);
    f.result().then(
      () => this.live.delete(f),
      () => this.live.delete(f),
    );
    return f;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new InvalidArgumentError('This client is closed: make a new Client to submit work.');
  }
}

/**
 * Yields futures in the order they finish (Dask's `as_completed`).
 * @example for await (const f of asCompleted(futures)) console.log(await f.result());
 */
export async function* asCompleted<T>(futures: Iterable<Future<T>>): AsyncGenerator<Future<T>> {
  const pending = new Set(futures);
  while (pending.size > 0) {
    const next = await Promise.race(
      [...pending].map((f) =>
        f.result().then(
          () => f,
          () => f,
        ),
      ),
    );
    pending.delete(next);
    yield next;
  }
}
