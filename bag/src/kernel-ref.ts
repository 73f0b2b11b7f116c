/**
 * How bag graphs name code: built-in kernels by `{ module: '@dusk/bag/kernels', name }`,
 * user functions as quoted FnRefs (source of a pure lambda, or a `tasks()` declaration)
 * that the kernel resolves on the worker, and extra arguments as quoted values or, for
 * delayed values, references.
 */
import {
  type AnyFn,
  type Arg,
  config,
  Delayed,
  type FnRef,
  fnId,
  InvalidArgumentError,
  isCollection,
  type Layer,
  moduleFn,
  quote,
  refuseLossy,
  toFnRef,
} from '@dusk/core';

export const KERNELS = '@dusk/bag/kernels';

/** A bag kernel by name. @example kernel('mapPartition') */
export function kernel(name: string): FnRef {
  return moduleFn(KERNELS, name);
}

/** A user function as a kernel argument, plus the id that goes into tokens. */
export interface UserFn {
  arg: Arg;
  id: string;
}

/**
 * Turns a user function into a task argument. A lambda that uses outside variables fails
 * here, when the bag is built, with FreeVariableError naming them.
 */
export function userFn(fn: AnyFn | FnRef): UserFn {
  const ref = toFnRef(fn);
  return { arg: quote(ref), id: fnId(ref) };
}

/** Extra arguments for a user function: delayed values become references, the rest quotes. */
export function extraArgs(values: readonly unknown[]): {
  arg: Arg;
  deps: Layer[];
  token: unknown[];
} {
  const deps: Layer[] = [];
  const args: Arg[] = [];
  const token: unknown[] = [];
  for (const v of values) {
    if (v instanceof Delayed) {
      deps.push(v.layer);
      args.push({ ref: v.key });
      token.push(`delayed:${v.key}`);
    } else if (isCollection(v)) {
      throw new InvalidArgumentError(
        'Extra arguments of bag functions may be plain values or Delayed values (such as ' +
          'bag.sum()); a whole collection cannot be passed per element. Use zip, product, or ' +
          'compute it first.',
      );
    } else {
      refuseLossy(v, `Extra argument ${args.length + 1} of a bag function`);
      args.push(quote(v));
      token.push(v);
    }
  }
  return { arg: args, deps, token };
}

/** A key argument: a function, or an object field / array index given by name. */
export function keySpec(key: AnyFn | FnRef | string | number): { arg: Arg; id: unknown } {
  if (typeof key === 'string' || typeof key === 'number') {
    return { arg: quote({ field: key }), id: { field: key } };
  }
  const ref = toFnRef(key);
  return { arg: quote({ fn: ref }), id: fnId(ref) };
}

/** The `splitEvery` of a tree reduction: given, or the configured default; at least 2. */
export function splitEveryOf(given: number | undefined): number {
  const s = given ?? config.get('splitEvery');
  if (!Number.isInteger(s) || s < 2) {
    throw new InvalidArgumentError(
      `splitEvery must be an integer of at least 2 (got ${String(s)}): it is how many partials each step of the tree reduction combines.`,
    );
  }
  return s;
}
