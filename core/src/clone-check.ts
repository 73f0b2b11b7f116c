/**
 * Structured clone and V8 serialization keep plain data, typed arrays and a few built-ins,
 * but turn any other class instance into a plain object, silently. A delayed call's
 * arguments and a result about to leave its worker are checked, so the user gets an error
 * naming the place and the class instead of a value that lost its methods on some
 * schedulers only. Values a registered codec handles (Arrow tables) travel whole.
 */
import { codecFor } from './codecs.js';
import { SerializationError } from './errors.js';

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

/** A class instance found, and the steps to it (innermost first, joined when reported). */
interface Found {
  className: string;
  steps: string[];
}

// Plain data is walked without a record of the objects seen: a set of every object made a
// walk over a million small records 6.6x slower (692 ms against 104). A walk nesting deeper
// than DEEP (a cycle: structured clone keeps cycles) or visiting more than MAX_VISITS
// objects (one object reached by many paths, which a record would visit once) starts again
// with the record.
const DEEP = 256;
const MAX_VISITS = 8_000_000;

class WalkAgain {}

/**
 * The first class instance inside `value` that would lose its class when cloned, as
 * `{ path, className }`; undefined when there is none. `allow` accepts more values whole.
 * @example lossyPart([{ a: new Foo() }]) // { path: '[0].a', className: 'Foo' }
 */
export function lossyPart(
  value: unknown,
  allow?: (v: object) => boolean,
): { path: string; className: string } | undefined {
  let found: Found | undefined;
  try {
    found = visit(value, allow, 0, { visits: 0 });
  } catch (e) {
    if (!(e instanceof WalkAgain)) throw e;
    found = visit(value, allow, 0, new Set());
  }
  if (!found) return undefined;
  const path = found.steps.reverse().join('');
  return { path: path || '(the result)', className: found.className };
}

function visit(
  v: unknown,
  allow: ((v: object) => boolean) | undefined,
  depth: number,
  seen: Set<object> | { visits: number },
): Found | undefined {
  if (typeof v !== 'object' || v === null || keepsItsType(v)) return undefined;
  if (seen instanceof Set) {
    if (seen.has(v)) return undefined;
    seen.add(v);
  } else if (depth > DEEP || ++seen.visits > MAX_VISITS) throw new WalkAgain();
  if (allow?.(v) || codecFor(v)) return undefined;
  const next = depth + 1;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (typeof e !== 'object' || e === null) continue;
      const found = visit(e, allow, next, seen);
      if (found) return step(found, `[${i}]`);
    }
    return undefined;
  }
  if (v instanceof Map || v instanceof Set) {
    for (const e of v instanceof Map ? [...v.keys(), ...v.values()] : v) {
      const found = visit(e, allow, next, seen);
      if (found) return step(found, '<entry>');
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    return { className: v.constructor?.name || 'an unnamed class', steps: [] };
  }
  for (const k in v as object) {
    const e = (v as Record<string, unknown>)[k];
    if (typeof e !== 'object' || e === null) continue;
    const found = visit(e, allow, next, seen);
    if (found) return step(found, `.${k}`);
  }
  return undefined;
}

function step(found: Found, s: string): Found {
  found.steps.push(s);
  return found;
}

/**
 * Refuses a value the user puts in a graph (an argument, a sequence's elements, an initial
 * value) that holds a class instance a worker would receive as a plain object: it would
 * work on the sync scheduler and break, or give another answer, on every other one (and
 * on threads, only for the partitions a worker runs). `where` names the value; the path to
 * the instance and its class are added.
 * @example refuseLossy(items, 'fromSequence(): element') // throws SerializationError
 */
export function refuseLossy(value: unknown, where: string, allow?: (v: object) => boolean): void {
  const lossy = lossyPart(value, allow);
  if (!lossy) return;
  const at = lossy.path === '(the result)' ? '' : ` at ${lossy.path}`;
  throw new SerializationError(
    `${where} is a ${lossy.className} instance${at}, which a worker thread or process would ` +
      'receive as a plain object without its class. Pass plain data (objects, arrays, typed ' +
      `arrays, Map, Set, Date), or register a codec for ${lossy.className} (registerCodec).`,
  );
}
