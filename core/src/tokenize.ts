/**
 * Deterministic tokens: the same inputs give the same token in every process, so the same
 * expression built twice gets the same keys and shared work is computed once.
 * Large typed arrays (over TOKENIZE_FULL_BYTES) are tokenized by identity instead of
 * content, as hashing gigabytes would cost more than the work they feed; such a buffer
 * must not be mutated after it is handed to a collection.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { COLLECTION } from './collection.js';

/** Content hashing runs at ~1.5 GB/s; above 8 MB the hash would dominate graph building. */
export const TOKENIZE_FULL_BYTES = 8 * 1024 * 1024;

/** Objects that know their own token implement this symbol. */
export const TOKEN = Symbol.for('dusk.token');

const identityTokens = new WeakMap<object, string>();

/**
 * A 32-hex-digit token of the arguments.
 * @example tokenize('sum', [1, 2, 3]) === tokenize('sum', [1, 2, 3]) // true
 */
export function tokenize(...values: unknown[]): string {
  const h = new Feed();
  for (const v of values) feed(h, v, 0);
  return h.digest();
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

// Values are written as bytes into a buffer hashed when full: numbers as their 8 bytes,
// strings as their UTF-16 code units (exact, also for lone surrogates), each behind a tag
// and, for strings and containers, a length. One hash update per value, with the value
// printed as text first, took 2.2 s for a list of 10M numbers and 1.8 s for 1M small
// records; SHA-1 (with the CPU's SHA extensions) hashes 1.5 GB/s where MD5 did 0.58.
const BUFFER_BYTES = 64 * 1024;
// Strings longer than this go to the hash straight from the string.
const INLINE_CHARS = 1024;

// Buffers of finished feeds, for the next: a fresh 64 KB buffer per call made a small
// tokenize 6x slower (21 us against 3.7). A list, not one buffer: feeding a collection
// or a value with its own token may tokenize again inside.
const spare: Scratch[] = [];

/** A buffer and a view on it for writing numbers, made together and reused together. */
interface Scratch {
  buf: Uint8Array;
  view: DataView;
}

function newScratch(): Scratch {
  const buf = new Uint8Array(BUFFER_BYTES);
  return { buf, view: new DataView(buf.buffer) };
}

/** A hash fed tagged values through a buffer. */
class Feed {
  private readonly h: Hash = createHash('sha1');
  private readonly scratch = spare.pop() ?? newScratch();
  private readonly buf = this.scratch.buf;
  private readonly view = this.scratch.view;
  private at = 0;

  private room(n: number): void {
    if (this.at + n > BUFFER_BYTES) this.flush();
  }

  tag(c: number): void {
    this.room(1);
    this.buf[this.at++] = c;
  }

  /** A tag and a whole number below 2^32 (a length or a count). */
  count(c: number, n: number): void {
    this.room(5);
    this.buf[this.at] = c;
    this.view.setUint32(this.at + 1, n, true);
    this.at += 5;
  }

  num(v: number): void {
    this.room(9);
    this.buf[this.at] = NUMBER;
    // Every NaN hashes alike; -0 and 0 differ by their sign bit.
    this.view.setFloat64(this.at + 1, Number.isNaN(v) ? Number.NaN : v, true);
    this.at += 9;
  }

  str(c: number, s: string): void {
    this.count(c, s.length);
    if (s.length > INLINE_CHARS) {
      this.flush();
      this.h.update(s, 'utf16le');
      return;
    }
    this.room(2 * s.length);
    for (let i = 0; i < s.length; i++) {
      const u = s.charCodeAt(i);
      this.buf[this.at++] = u & 0xff;
      this.buf[this.at++] = u >> 8;
    }
  }

  bytes(b: Uint8Array): void {
    this.flush();
    this.h.update(b);
  }

  digest(): string {
    this.flush();
    spare.push(this.scratch);
    return this.h.digest('hex').slice(0, 32);
  }

  private flush(): void {
    if (this.at === 0) return;
    this.h.update(this.buf.subarray(0, this.at));
    this.at = 0;
  }
}

// Tags (ASCII codes, for reading a dump).
const NUMBER = 0x6e; // n
const STRING = 0x73; // s
const TRUE = 0x54; // T
const FALSE = 0x46; // F
const BIGINT = 0x62; // b
const UNDEFINED = 0x55; // U
const NULL = 0x4e; // N
const SYMBOL = 0x79; // y
const FUNCTION = 0x66; // f
const DEEP = 0x64; // d
const OWN = 0x74; // t
const COLLECTION_TAG = 0x63; // c
const VIEW = 0x76; // v
const BY_IDENTITY = 0x40; // @ (a large typed array, by its buffer's identity)
const ARRAY = 0x61; // a
const DATE = 0x44; // D
const MAP = 0x6d; // m
const SET = 0x65; // e
const OBJECT = 0x6f; // o
const INSTANCE = 0x69; // i
const END = 0x5d; // ]

function feed(h: Feed, v: unknown, depth: number): void {
  if (depth > 64) {
    h.tag(DEEP);
    return;
  }
  switch (typeof v) {
    case 'number':
      h.num(v);
      return;
    case 'string':
      h.str(STRING, v);
      return;
    case 'boolean':
      h.tag(v ? TRUE : FALSE);
      return;
    case 'bigint':
      h.str(BIGINT, v.toString());
      return;
    case 'undefined':
      h.tag(UNDEFINED);
      return;
    case 'symbol':
      h.str(SYMBOL, String(v));
      return;
    case 'function':
      h.str(FUNCTION, Function.prototype.toString.call(v));
      return;
  }
  if (v === null) {
    h.tag(NULL);
    return;
  }
  feedObject(h, v as object, depth);
}

function feedObject(h: Feed, o: object, depth: number): void {
  const own = (o as any)[TOKEN];
  if (typeof own === 'function') {
    h.str(OWN, String(own.call(o)));
    return;
  }
  if (typeof (o as any)[COLLECTION] === 'function') {
    h.str(COLLECTION_TAG, (o as any)[COLLECTION]().layer.name);
    return;
  }
  if (ArrayBuffer.isView(o)) {
    h.str(VIEW, o.constructor.name);
    h.num(o.byteLength);
    if (o.byteLength <= TOKENIZE_FULL_BYTES)
      h.bytes(new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
    else {
      h.str(BY_IDENTITY, identityToken(o.buffer));
      h.num(o.byteOffset);
    }
    return;
  }
  if (o instanceof ArrayBuffer || o instanceof SharedArrayBuffer) {
    feedObject(h, new Uint8Array(o), depth);
    return;
  }
  if (Array.isArray(o)) {
    h.count(ARRAY, o.length);
    for (let i = 0; i < o.length; i++) feed(h, o[i], depth + 1);
    h.tag(END);
    return;
  }
  if (o instanceof Date) {
    h.tag(DATE);
    h.num(o.getTime());
    return;
  }
  if (o instanceof Map) {
    h.count(MAP, o.size);
    for (const [k, val] of o) {
      feed(h, k, depth + 1);
      feed(h, val, depth + 1);
    }
    h.tag(END);
    return;
  }
  if (o instanceof Set) {
    h.count(SET, o.size);
    for (const val of o) feed(h, val, depth + 1);
    h.tag(END);
    return;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o).sort();
    h.count(OBJECT, keys.length);
    for (const k of keys) {
      h.str(STRING, k);
      feed(h, (o as any)[k], depth + 1);
    }
    h.tag(END);
    return;
  }
  // A class instance we know nothing about: same object, same token; never equal by content.
  h.str(INSTANCE, identityToken(o));
}
