/**
 * Structured clone and V8 serialization keep plain data, typed arrays and a few built-ins,
 * but turn any other class instance into a plain object, silently. A delayed call's
 * arguments and a result about to leave its worker are checked, so the user gets an error
 * naming the place and the class instead of a value that lost its methods on some
 * schedulers only. Values a registered codec handles (Arrow tables) travel whole.
 */
import { codecFor } from './codecs.js';

/** Built-ins that cross threads and processes with their type. */
function keepsItsType(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof SharedArrayBuffer ||
    v instanceof Date ||
    v instanceof RegExp ||
    v instanceof Error ||
    v instanceof Boolean ||
    v instanceof Number ||
    v instanceof String
  );
}

/**
 * The first class instance inside `value` that would lose its class when cloned, as
 * `{ path, className }`; undefined when there is none. `allow` accepts more values whole.
 * @example lossyPart([{ a: new Foo() }]) // { path: '[0].a', className: 'Foo' }
 */
export function lossyPart(
  value: unknown,
  allow?: (v: object) => boolean,
): { path: string; className: string } | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): { path: string; className: string } | undefined => {
    if (typeof v !== 'object' || v === null || seen.has(v) || keepsItsType(v)) return undefined;
    if (allow?.(v) || codecFor(v)) return undefined;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (typeof e === 'object' && e !== null) {
          const found = visit(e, `${path}[${i}]`);
          if (found) return found;
        }
      }
      return undefined;
    }
    if (v instanceof Map || v instanceof Set) {
      for (const e of v instanceof Map ? [...v.keys(), ...v.values()] : v) {
        const found = visit(e, `${path}<entry>`);
        if (found) return found;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      return { path: path || '(the result)', className: v.constructor?.name || 'an unnamed class' };
    }
    for (const k in v as object) {
      const found = visit((v as Record<string, unknown>)[k], `${path}.${k}`);
      if (found) return found;
    }
    return undefined;
  };
  return visit(value, '');
}
