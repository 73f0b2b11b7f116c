/**
 * Deterministic tokens: the same inputs give the same token in every process, so the same
 * expression built twice gets the same keys and shared work is computed once.
 * Large typed arrays (over TOKENIZE_FULL_BYTES) are tokenized by identity instead of
 * content, as hashing gigabytes would cost more than the work they feed; such a buffer
 * must not be mutated after it is handed to a collection.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { COLLECTION } from './collection.js';

/** Content hashing runs at ~1 GB/s; above 8 MB the hash would dominate graph building. */
export const TOKENIZE_FULL_BYTES = 8 * 1024 * 1024;

/** Objects that know their own token implement this symbol. */
export const TOKEN = Symbol.for('dusk.token');

const identityTokens = new WeakMap<object, string>();

/**
 * A 32-hex-digit token of the arguments.
 * @example tokenize('sum', [1, 2, 3]) === tokenize('sum', [1, 2, 3]) // true
 */
export function tokenize(...values: unknown[]): string {
  const h = createHash('md5');
  for (const v of values) feed(h, v, 0);
  return h.digest('hex');
}

/** A token that is never repeated, for impure calls. */
export function uniqueToken(): string {
  return randomUUID().replace(/-/g, '');
}

function identityToken(o: object): string {
  let t = identityTokens.get(o);
  if (!t) {
    t = uniqueToken();
    identityTokens.set(o, t);
  }
  return t;
}

function feed(h: Hash, v: unknown, depth: number): void {
  if (depth > 64) {
    h.update('<deep>');
    return;
  }
  switch (typeof v) {
    case 'number':
      h.update(Object.is(v, -0) ? 'n-0;' : `n${v};`);
      return;
    case 'string':
      h.update(`s${v.length}:`);
      h.update(v);
      return;
    case 'boolean':
      h.update(v ? 'T' : 'F');
      return;
    case 'bigint':
      h.update(`b${v};`);
      return;
    case 'undefined':
      h.update('U');
      return;
    case 'symbol':
      h.update(`y${String(v)};`);
      return;
    case 'function':
      h.update(`f${Function.prototype.toString.call(v)};`);
      return;
  }
  if (v === null) {
    h.update('N');
    return;
  }
  feedObject(h, v as object, depth);
}

function feedObject(h: Hash, o: object, depth: number): void {
  const own = (o as any)[TOKEN];
  if (typeof own === 'function') {
    h.update(`t${own.call(o)};`);
    return;
  }
  if (typeof (o as any)[COLLECTION] === 'function') {
    h.update(`c${(o as any)[COLLECTION]().layer.name};`);
    return;
  }
  if (ArrayBuffer.isView(o)) {
    h.update(`v${o.constructor.name}${o.byteLength};`);
    if (o.byteLength <= TOKENIZE_FULL_BYTES)
      h.update(new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
    else h.update(`@${identityToken(o.buffer)}:${o.byteOffset}`);
    return;
  }
  if (o instanceof ArrayBuffer || o instanceof SharedArrayBuffer) {
    feedObject(h, new Uint8Array(o), depth);
    return;
  }
  if (Array.isArray(o)) {
    h.update(`a${o.length}[`);
    for (let i = 0; i < o.length; i++) feed(h, o[i], depth + 1);
    h.update(']');
    return;
  }
  if (o instanceof Date) {
    h.update(`d${o.getTime()};`);
    return;
  }
  if (o instanceof Map) {
    h.update(`m${o.size}{`);
    for (const [k, val] of o) {
      feed(h, k, depth + 1);
      feed(h, val, depth + 1);
    }
    h.update('}');
    return;
  }
  if (o instanceof Set) {
    h.update(`e${o.size}{`);
    for (const val of o) feed(h, val, depth + 1);
    h.update('}');
    return;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o).sort();
    h.update(`o${keys.length}{`);
    for (const k of keys) {
      feed(h, k, depth + 1);
      feed(h, (o as any)[k], depth + 1);
    }
    h.update('}');
    return;
  }
  // A class instance we know nothing about: same object, same token; never equal by content.
  h.update(`i${identityToken(o)};`);
}
