/**
 * The function references a graph node carries anywhere: as a task's function and quoted
 * in its arguments (a bag's or a frame's `map` spec, mapBlocks), where kernels resolve them
 * as a worker resolves a task's own function. Both who may run where (the caller's thread,
 * local/caller-slot.ts) and what a cluster admits (distributed/admission.ts) read them here.
 */

/** A function reference as found in data: `source` text, or a `module` export. */
export type FoundRef = { source: string } | { module: string; name: string };

/**
 * Calls `visit` with every object in `x` that a kernel would resolve as a function: any
 * object with a string `source` (it would be compiled), or a string `module` and `name`.
 * Such an object is not looked into further; typed arrays, buffers and other class
 * instances hold data and are not looked into at all. Returns false as soon as `visit`
 * does, or once more than `budget.left` objects and arrays have been looked at.
 * @example everyFnRef(node, (f) => 'module' in f && f.module.startsWith('@dusk/'))
 */
export function everyFnRef(
  x: unknown,
  visit: (ref: FoundRef) => boolean,
  budget = { left: Number.POSITIVE_INFINITY },
): boolean {
  if (typeof x !== 'object' || x === null) return true;
  if (--budget.left < 0) return false;
  if (Array.isArray(x)) {
    for (const a of x) if (!everyFnRef(a, visit, budget)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return true;
  const o = x as Record<string, unknown>;
  if (typeof o.source === 'string') return visit({ source: o.source });
  if (typeof o.module === 'string' && typeof o.name === 'string')
    return visit({ module: o.module, name: o.name });
  for (const k in o) if (!everyFnRef(o[k], visit, budget)) return false;
  return true;
}
