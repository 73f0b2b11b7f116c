/**
 * Moving values across threads, processes and sockets: values that a registered codec
 * handles (Arrow tables) are swapped for a plain marker holding the codec's header and raw
 * buffers, anywhere inside arrays and plain objects; everything else is left for
 * structured clone / msgpack. `decodeValue` swaps the markers back, importing the codec's
 * module first where this process has never seen it.
 */
import { isShared } from './alloc.js';
import { type Codec, codecFor, hasCodecs, loadCodec } from './codecs.js';
import { SerializationError } from './errors.js';

/**
 * A value replaced by its codec's encoding. With `ref`, the receiver keeps the decoded
 * value under that number (see `LiteralCache`); a marker with `ref` and no header names a
 * value the receiver already keeps.
 */
export interface EncodedValue {
  readonly __duskCodec: string;
  readonly module: string;
  readonly header?: unknown;
  readonly buffers?: ArrayBufferView[];
  readonly ref?: number;
}

/**
 * What the sender knows of one receiver's kept values: values on shared memory that go to
 * the same receiver again and again (a persisted frame's partitions, computed over and
 * over) are decoded there once and then named by number, instead of being encoded,
 * cloned and rebuilt for every message.
 */
export interface LiteralCache {
  /** The number `value` is kept under, if it may be kept at all. */
  idOf(value: object): number;
  /** Whether the receiver keeps `id` now. */
  has(id: number): boolean;
  /** The receiver will keep `id` once it decodes the message being built. */
  add(id: number): void;
}

export function isEncodedValue(x: unknown): x is EncodedValue {
  return typeof x === 'object' && x !== null && typeof (x as EncodedValue).__duskCodec === 'string';
}

// A guard for the call stack, not a policy: values and task nodes nest far less deeply.
const MAX_DEPTH = 256;

/**
 * Replaces codec-handled values inside `value` with markers. Returns the value itself
 * (not a copy) when nothing needed encoding, and says whether anything was encoded.
 * Objects reached twice are walked once (shared parts stay shared, cycles end).
 * @example const { value, encoded } = encodeValue([table, 3]);
 */
export function encodeValue(
  value: unknown,
  cache?: LiteralCache,
): { value: unknown; encoded: boolean } {
  if (!hasCodecs()) return { value, encoded: false };
  const walk: EncodeWalk = { encoded: false, memo: new Map(), cache };
  const out = encodeAt(value, walk, 0);
  return { value: out, encoded: walk.encoded };
}

interface EncodeWalk {
  encoded: boolean;
  memo: Map<object, unknown>;
  cache: LiteralCache | undefined;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encodeAt(v: unknown, walk: EncodeWalk, depth: number): unknown {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return v;
  if (walk.memo.has(v)) return walk.memo.get(v);
  walk.memo.set(v, v);
  const out = encodeObject(v, walk, depth);
  walk.memo.set(v, out);
  return out;
}

function encodeObject(v: object, walk: EncodeWalk, depth: number): unknown {
  const codec: Codec | undefined = codecFor(v);
  if (codec) {
    walk.encoded = true;
    const cache = walk.cache;
    const id = cache ? cache.idOf(v) : 0;
    if (cache?.has(id)) {
      const known: EncodedValue = { __duskCodec: codec.name, module: codec.module, ref: id };
      return known;
    }
    const { header, buffers } = codec.encode(v);
    // Only values wholly on shared memory are kept: a kept copy of ordinary bytes would
    // double their memory at the receiver.
    const keep = cache !== undefined && buffers.length > 0 && buffers.every(isShared);
    if (keep) cache.add(id);
    const marker: EncodedValue = keep
      ? { __duskCodec: codec.name, module: codec.module, header, buffers, ref: id }
      : { __duskCodec: codec.name, module: codec.module, header, buffers };
    return marker;
  }
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (typeof e !== 'object' || e === null) continue;
      const x = encodeAt(e, walk, depth + 1);
      if (x !== e) {
        copy ??= v.slice();
        copy[i] = x;
      }
    }
    return copy ?? v;
  }
  if (!isPlain(v)) return v;
  let copy: Record<string, unknown> | undefined;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const e = o[k];
    if (typeof e !== 'object' || e === null) continue;
    const x = encodeAt(e, walk, depth + 1);
    if (x !== e) {
      copy ??= { ...o };
      copy[k] = x;
    }
  }
  return copy ?? v;
}

/**
 * Undoes `encodeValue`, in place: markers become values again through their codecs
 * (imported by module name when this process has not registered them yet). Pass only a
 * value that was just received (it is changed).
 * @example const table = await decodeValue(message.value);
 */
export async function decodeValue(value: unknown, kept?: Map<number, unknown>): Promise<unknown> {
  const wanted = new Map<string, string>();
  collectMarkers(value, wanted, new Set(), 0);
  const codecs = new Map<string, Codec>();
  for (const [name, module] of wanted) codecs.set(name, await loadCodec(name, module));
  return decodeAt(value, { codecs, memo: new Map(), kept }, 0);
}

interface DecodeWalk {
  codecs: Map<string, Codec>;
  memo: Map<object, unknown>;
  /** The values this receiver keeps by number (markers with `ref`). */
  kept: Map<number, unknown> | undefined;
}

function decodeMarker(v: EncodedValue, walk: DecodeWalk): unknown {
  const ref = v.ref;
  if (ref !== undefined && walk.kept?.has(ref)) {
    if (v.header === undefined) return walk.kept.get(ref);
  } else if (v.header === undefined || v.buffers === undefined) {
    throw new SerializationError(
      `A '${v.__duskCodec}' value arrived by number (${ref}) but this receiver does not keep it; the sender and receiver disagree on what is kept.`,
    );
  }
  const bytes = v.buffers!.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  const decoded = walk.codecs.get(v.__duskCodec)!.decode(v.header, bytes);
  if (ref !== undefined) walk.kept?.set(ref, decoded);
  return decoded;
}

function collectMarkers(v: unknown, out: Map<string, string>, seen: Set<object>, depth: number) {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return;
  if (seen.has(v)) return;
  seen.add(v);
  if (isEncodedValue(v)) {
    out.set(v.__duskCodec, v.module);
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectMarkers(v[i], out, seen, depth + 1);
    return;
  }
  if (!isPlain(v)) return;
  for (const k in v as object) collectMarkers((v as any)[k], out, seen, depth + 1);
}

function decodeAt(v: unknown, walk: DecodeWalk, depth: number): unknown {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return v;
  const memo = walk.memo;
  if (memo.has(v)) return memo.get(v);
  if (isEncodedValue(v)) {
    const decoded = decodeMarker(v, walk);
    memo.set(v, decoded);
    return decoded;
  }
  memo.set(v, v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = decodeAt(v[i], walk, depth + 1);
  } else if (isPlain(v)) {
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = decodeAt(o[k], walk, depth + 1);
  }
  return v;
}
