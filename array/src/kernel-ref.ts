/** How array tasks name their kernels: exports of '@dusk/array/kernels'. */
import { type FnRef, moduleFn } from '@dusk/core';

export const KERNELS_MODULE = '@dusk/array/kernels';

const cache = new Map<string, FnRef>();

/** The (shared, frozen) reference to kernel `name`. @example kernel('evalBlock') */
export function kernel(name: string): FnRef {
  let f = cache.get(name);
  if (!f) {
    f = Object.freeze(moduleFn(KERNELS_MODULE, name));
    cache.set(name, f);
  }
  return f;
}
