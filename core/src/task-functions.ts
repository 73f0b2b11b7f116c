/**
 * Declaring user functions that workers can run. Functions exported from the user's own
 * module are declared once with `import.meta.url`; any other function is shipped as
 * source and must be pure (no outside variables).
 */
import { InvalidArgumentError } from './errors.js';
import { type AnyFn, type FnRef, isModuleFnRef, lambdaFn, moduleFn, rememberFn } from './fn-ref.js';

const declared = new WeakMap<AnyFn, FnRef>();

/**
 * Declares exported functions of a module so workers can import them by name.
 * @example
 * export function preprocess(img) { ... }
 * const t = tasks(import.meta.url, { preprocess });
 * delayed(t.preprocess)(img)  // or delayed(preprocess): the declaration is remembered
 */
export function tasks<T extends Record<string, AnyFn>>(moduleUrl: string, fns: T): T {
  if (typeof moduleUrl !== 'string' || moduleUrl.length === 0) {
    throw new InvalidArgumentError(
      'tasks(moduleUrl, fns): pass import.meta.url of the module that exports fns.',
    );
  }
  for (const [name, fn] of Object.entries(fns)) {
    if (typeof fn !== 'function') {
      throw new InvalidArgumentError(`tasks(): '${name}' is not a function (got ${typeof fn}).`);
    }
    const ref = moduleFn(moduleUrl, name);
    declared.set(fn, ref);
    rememberFn(ref, fn);
  }
  return fns;
}

/** Whether `x` is already a function reference. */
export function isFnRef(x: unknown): x is FnRef {
  if (typeof x !== 'object' || x === null) return false;
  return isModuleFnRef(x as FnRef)
    ? typeof (x as any).name === 'string'
    : typeof (x as any).source === 'string';
}

/**
 * The reference a task uses for `f`: its declaration from `tasks()`, the reference itself,
 * or its source text (refused with FreeVariableError if it uses outside variables).
 */
export function toFnRef(f: AnyFn | FnRef): FnRef {
  if (typeof f === 'function') return declared.get(f) ?? lambdaFn(f);
  if (isFnRef(f)) return f;
  throw new InvalidArgumentError(`Expected a function or a function reference, got ${typeof f}.`);
}
