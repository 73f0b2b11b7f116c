/**
 * Core kernels: small functions that graphs built by core name by module reference
 * (`@dusk/core/kernels`). Workers import this module once and cache it.
 */

/** `container[index]`, for tuples returned by `nout` calls and item access. */
export function getItem(container: any, index: number | string): unknown {
  if (container === null || container === undefined) {
    throw new TypeError(`Cannot take item ${String(index)} of ${String(container)}.`);
  }
  if (typeof container.get === 'function' && !Array.isArray(container)) return container.get(index);
  return container[index];
}

/** Returns its argument: builds lists and records of computed values. */
export function identity<T>(x: T): T {
  return x;
}

/** Builds an object from `[key, value]` pairs; used for records that hold delayed values. */
export function dict(pairs: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** Calls a function value with arguments: the target of `delayed(fnValue)(...)`. */
export function apply(fn: (...a: unknown[]) => unknown, args: unknown[]): unknown {
  return fn(...args);
}
