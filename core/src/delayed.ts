/**
 * delayed: lazy function calls. `delayed(fn)(a, b)` records the call as a graph node
 * instead of running it; delayed values passed to other calls (also inside arrays and
 * objects) become references, so a whole program becomes one graph.
 */
import { refuseLossy } from './clone-check.js';
import { COLLECTION, type Collection, type CollectionSpec, isCollection } from './collection.js';
import { type ComputeOptions, getComputeEngine } from './compute-hook.js';
import { config } from './config.js';
import { InvalidArgumentError } from './errors.js';
import { type AnyFn, type FnRef, fnId, fnName, moduleFn } from './fn-ref.js';
import type { Arg, Key, Node } from './graph.js';
import { type Layer, layer } from './layer.js';
import { toFnRef } from './task-functions.js';
import { TOKEN, tokenize, uniqueToken } from './tokenize.js';
import { visualize } from './visualize.js';

const KERNELS = '@dusk/core/kernels';
const GET_ITEM = moduleFn(KERNELS, 'getItem');
const IDENTITY = moduleFn(KERNELS, 'identity');
const DICT = moduleFn(KERNELS, 'dict');

export interface DelayedOptions {
  /** Same function and arguments give the same key, so the work is shared (default false). */
  pure?: boolean;
  /** The call returns a tuple of this length: the result can be destructured. */
  nout?: number;
  /** Prefix of the key, for graphs and progress (default: the function's name). */
  name?: string;
}

/** A lazy value: one key in a graph. */
export class Delayed<T = unknown> implements Collection, Iterable<Delayed> {
  constructor(
    readonly key: Key,
    readonly layer: Layer,
    readonly nout?: number,
  ) {}

  [COLLECTION](): CollectionSpec {
    return {
      layer: this.layer,
      keys: [this.key],
      finalize: (values) => values[0],
      rebuild: (l) => new Delayed(this.key, l, this.nout),
    };
  }

  [TOKEN](): string {
    return this.key;
  }

  /** Computes the value. @example await delayed(inc)(1).compute() // 2 */
  async compute(opts?: ComputeOptions): Promise<T> {
    const engine = await getComputeEngine();
    return (await engine.compute([this], opts))[0] as T;
  }

  /** Computes the value and returns a Delayed whose graph holds the result. */
  async persist(opts?: ComputeOptions): Promise<Delayed<T>> {
    const engine = await getComputeEngine();
    return (await engine.persist([this], opts))[0] as Delayed<T>;
  }

  /** Writes this value's graph to `path` (.dot, or .svg/.png with Graphviz); returns the DOT. */
  visualize(path = 'graph.dot'): string {
    return visualize([this], path);
  }

  /** Item `i` of the (future) value: `d.get(0)`, `d.get('field')`. */
  get(index: number | string): Delayed {
    const key = `getitem-${tokenize(this.key, index)}`;
    const node: Node = { fn: GET_ITEM, args: [{ ref: this.key }, index] };
    return new Delayed(key, layer(key, new Map([[key, node]]), [this.layer]));
  }

  *[Symbol.iterator](): Iterator<Delayed> {
    if (this.nout === undefined) {
      throw new InvalidArgumentError(
        `Delayed '${this.key}' is not iterable: its length is unknown. Pass { nout: n } to delayed() for functions returning tuples.`,
      );
    }
    for (let i = 0; i < this.nout; i++) yield this.get(i);
  }

  toString(): string {
    return `Delayed('${this.key}')`;
  }
}

/** Converts a user value into a task argument, collecting the layers it depends on. */
function toArg(value: unknown, deps: Layer[]): { arg: Arg; lazy: boolean } {
  if (value instanceof Delayed) {
    deps.push(value.layer);
    return { arg: { ref: value.key }, lazy: true };
  }
  if (isCollection(value)) {
    const spec = value[COLLECTION]();
    deps.push(spec.layer);
    const refs = spec.keys.map((k) => ({ ref: k }));
    return { arg: refs.length === 1 ? refs[0]! : refs, lazy: true };
  }
  if (value === null || typeof value !== 'object') return { arg: value as Arg, lazy: false };
  if (Array.isArray(value)) {
    const parts = value.map((v) => toArg(v, deps));
    if (!parts.some((p) => p.lazy)) return { arg: { quote: value }, lazy: false };
    return { arg: parts.map((p) => p.arg), lazy: true };
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const entries = Object.entries(value).map(([k, v]) => [k, toArg(v, deps)] as const);
    if (!entries.some(([, p]) => p.lazy)) return { arg: { quote: value }, lazy: false };
    return { arg: { fn: DICT, args: [entries.map(([k, p]) => [k, p.arg])] }, lazy: true };
  }
  return { arg: { quote: value }, lazy: false };
}

/**
 * Refuses an argument holding a class instance that a worker would receive as a plain
 * object: it would work on the sync scheduler and break on every other one.
 */
function checkPlain(value: unknown, where: string): void {
  refuseLossy(value, where, (v) => v instanceof Delayed || isCollection(v));
}

function makeCall(fn: FnRef, args: unknown[], opts: DelayedOptions): Delayed {
  for (let i = 0; i < args.length; i++)
    checkPlain(args[i], `Argument ${i + 1} of the call to '${opts.name ?? fnName(fn)}'`);
  const deps: Layer[] = [];
  const taskArgs = args.map((a) => toArg(a, deps).arg);
  const pure = opts.pure ?? config.get('delayedPure');
  const prefix = opts.name ?? fnName(fn);
  const key = `${prefix}-${pure ? tokenize(fnId(fn), args) : uniqueToken()}`;
  const node: Node = { fn, args: taskArgs };
  return new Delayed(key, layer(key, new Map([[key, node]]), deps), opts.nout);
}

/** Each argument may be given as a value or as a lazy value that computes it. */
export type Lazy<T> =
  | T
  | Delayed<T>
  | Collection
  | (T extends readonly (infer E)[]
      ? readonly Lazy<E>[]
      : T extends Record<string, unknown>
        ? { [K in keyof T]: Lazy<T[K]> }
        : never);
export type DelayedArgs<P extends unknown[]> = { [I in keyof P]: Lazy<P[I]> };
export type DelayedCall<F extends AnyFn> = (
  ...args: DelayedArgs<Parameters<F>>
) => Delayed<Awaited<ReturnType<F>>>;

/**
 * Wraps a function so calls build graph nodes, or wraps a value as a Delayed.
 * @example
 * const inc = delayed((x: number) => x + 1);
 * const total = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
 * await total([inc(1), inc(2)]).compute(); // 5
 */
export function delayed<F extends AnyFn>(fn: F | FnRef, opts?: DelayedOptions): DelayedCall<F>;
export function delayed<T>(value: T, opts?: DelayedOptions): Delayed<T>;
export function delayed(fnOrValue: unknown, opts: DelayedOptions = {}): unknown {
  if (typeof fnOrValue === 'function' || isFnLike(fnOrValue)) {
    const ref = toFnRef(fnOrValue as AnyFn | FnRef);
    return (...args: unknown[]) => makeCall(ref, args, opts);
  }
  if (fnOrValue instanceof Delayed) return fnOrValue;
  checkPlain(fnOrValue, 'The value given to delayed()');
  const deps: Layer[] = [];
  const { arg, lazy } = toArg(fnOrValue, deps);
  const key = `${opts.name ?? (Array.isArray(fnOrValue) ? 'list' : typeof fnOrValue)}-${tokenize(fnOrValue)}`;
  const node: Node = lazy ? { fn: IDENTITY, args: [arg] } : { value: fnOrValue };
  return new Delayed(key, layer(key, new Map([[key, node]]), deps), opts.nout);
}

function isFnLike(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  return (
    (keys.length === 2 && typeof o.module === 'string' && typeof o.name === 'string') ||
    (keys.length === 1 && typeof o.source === 'string')
  );
}
