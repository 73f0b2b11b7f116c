/**
 * How a task names the code it runs. A function is never put in a graph: either a module
 * export `{ module, name }` that a worker imports and caches, or the source text of a
 * small pure lambda `{ source }`, compiled once per worker and cached.
 */
import { FreeVariableError, FunctionResolveError } from './errors.js';
import { freeVariables } from './free-vars.js';

export interface ModuleFnRef {
  readonly module: string;
  readonly name: string;
}
export interface SourceFnRef {
  readonly source: string;
}
export type FnRef = ModuleFnRef | SourceFnRef;
export type AnyFn = (...args: any[]) => any;

export function isModuleFnRef(f: FnRef): f is ModuleFnRef {
  return typeof (f as ModuleFnRef).module === 'string';
}

/** A stable string naming the function, for caching and tokens. */
export function fnId(f: FnRef): string {
  return isModuleFnRef(f) ? `${f.module}#${f.name}` : `src:${f.source}`;
}

/** A readable name for labels and key prefixes. */
export function fnName(f: FnRef): string {
  if (isModuleFnRef(f)) return f.name;
  const m = /^\s*(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/.exec(f.source);
  return m ? m[1]! : 'lambda';
}

/** @example moduleFn('@dusk/core/kernels', 'getItem') */
export function moduleFn(module: string, name: string): ModuleFnRef {
  return { module, name };
}

const checkedSources = new Map<string, true>();

/**
 * Turns a pure function into a source reference, refusing one that uses variables from its
 * surroundings (FreeVariableError names them).
 * @example lambdaFn((t) => (t * 9) / 5 + 32)
 */
export function lambdaFn(fn: AnyFn | string): SourceFnRef {
  const source = typeof fn === 'string' ? fn : Function.prototype.toString.call(fn);
  if (!checkedSources.has(source)) {
    const free = freeVariables(source);
    if (free.length > 0) throw new FreeVariableError(free, source);
    checkedSources.set(source, true);
  }
  return { source };
}

// Caches: resolved functions by id (one compile or import per process) and by FnRef
// object (a WeakMap hit is cheaper than building the id string on every task).
const byId = new Map<string, AnyFn>();
const byRef = new WeakMap<object, AnyFn>();
const modules = new Map<string, Promise<Record<string, unknown>>>();

function compileSource(source: string): AnyFn {
  try {
    // biome-ignore lint/security/noGlobalEval: source refs are the documented way to ship lambdas
    // biome-ignore lint/complexity/noCommaOperator: indirect eval compiles in global scope
    const fn = (0, eval)(`(${source})`);
    if (typeof fn !== 'function') throw new Error('not a function');
    return fn;
  } catch (e) {
    throw new FunctionResolveError(`Cannot compile function source \`${source.slice(0, 80)}\`.`, {
      cause: e,
    });
  }
}

async function importModule(specifier: string): Promise<Record<string, unknown>> {
  let p = modules.get(specifier);
  if (!p) {
    p = import(specifier) as Promise<Record<string, unknown>>;
    modules.set(specifier, p);
    p.catch(() => modules.delete(specifier));
  }
  try {
    return await p;
  } catch (e) {
    throw new FunctionResolveError(
      `Cannot import module '${specifier}' named by a task: ${(e as Error).message}. ` +
        'Install the package where the workers run, or check the module URL.',
      { cause: e },
    );
  }
}

/** Resolves a reference to a function, importing or compiling it once per process. */
export async function resolveFn(f: FnRef): Promise<AnyFn> {
  const cached = byRef.get(f);
  if (cached) return cached;
  const id = fnId(f);
  let fn = byId.get(id);
  if (!fn) {
    if (isModuleFnRef(f)) {
      const mod = await importModule(f.module);
      const exported = mod[f.name];
      if (typeof exported !== 'function') {
        const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
        throw new FunctionResolveError(
          `Module '${f.module}' has no exported function '${f.name}'. ` +
            `Its exported functions: ${names.join(', ') || '(none)'}. Export it with \`export function ${f.name}\`.`,
        );
      }
      fn = exported as AnyFn;
    } else {
      fn = compileSource(f.source);
    }
    byId.set(id, fn);
  }
  byRef.set(f, fn);
  return fn;
}

/**
 * Records the function behind a reference made in this process (by `tasks()`), so the
 * calling thread never imports the module to find it: importing a script from itself
 * while its top-level `await compute()` is pending would wait forever.
 */
export function rememberFn(f: FnRef, fn: AnyFn): void {
  byId.set(fnId(f), fn);
  byRef.set(f, fn);
}

/** Whether `f` was resolved in this process already (`resolvedFn` will not throw). */
export function isResolved(f: FnRef): boolean {
  return byRef.has(f) || byId.has(fnId(f));
}

/** The function for a reference already resolved with `resolveFn`; throws if it was not. */
export function resolvedFn(f: FnRef): AnyFn {
  const fn = byRef.get(f) ?? byId.get(fnId(f));
  if (!fn) throw new FunctionResolveError(`Function ${fnId(f)} was used before it was resolved.`);
  byRef.set(f, fn);
  return fn;
}
