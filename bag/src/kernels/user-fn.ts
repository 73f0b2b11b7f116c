/**
 * User functions inside bag kernels. A kernel receives the user's function as a quoted
 * FnRef (source text or module export) and resolves it once per worker; the cache in core
 * makes every later partition a map lookup.
 */
import { type AnyFn, type FnRef, resolveFn } from '@dusk/core';

/** The function a reference names, compiled or imported once per process. */
export function userFn(ref: FnRef): Promise<AnyFn> {
  return resolveFn(ref);
}

/** How a bag names one part of each element: a function, an object key or an array index. */
export type KeySpec = { fn: FnRef } | { field: string | number };

/** A function taking an element to its key, from a key spec. */
export async function keyGetter(spec: KeySpec): Promise<(x: any) => unknown> {
  if ('fn' in spec) return userFn(spec.fn);
  const f = spec.field;
  return (x: any) => (x === null || x === undefined ? undefined : x[f]);
}
