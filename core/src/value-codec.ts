/**
 * Moving values across threads, processes and sockets: values that a registered codec
 * handles (Arrow tables) are swapped for a plain marker holding the codec's header and raw
 * buffers, anywhere inside arrays and plain objects; everything else is left for
 * structured clone / msgpack. `decodeValue` swaps the markers back, importing the codec's
 * module first where this process has never seen it.
 */
import { type Codec, codecFor, hasCodecs, loadCodec } from './codecs.js';

/** A value replaced by its codec's encoding. */
export interface EncodedValue {
  readonly __duskCodec: string;
  readonly module: string;
  readonly header: unknown;
  readonly buffers: ArrayBufferView[];
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
export function encodeValue(value: unknown): { value: unknown; encoded: boolean } {
  if (!hasCodecs()) return { value, encoded: false };
  const walk: EncodeWalk = { encoded: false, memo: new Map() };
  const out = encodeAt(value, walk, 0);
  return { value: out, encoded: walk.encoded };
}

interface EncodeWalk {
  encoded: boolean;
  memo: Map<object, unknown>;
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
    const { header, buffers } = codec.encode(v);
    const marker: EncodedValue = { __duskCodec: codec.name, module: codec.module, header, buffers };
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
export async function decodeValue(value: unknown): Promise<unknown> {
  const wanted = new Map<string, string>();
  collectMarkers(value, wanted, new Set(), 0);
  const codecs = new Map<string, Codec>();
  for (const [name, module] of wanted) codecs.set(name, await loadCodec(name, module));
  return decodeAt(value, codecs, new Map(), 0);
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

function decodeAt(
  v: unknown,
  codecs: Map<string, Codec>,
  memo: Map<object, unknown>,
  depth: number,
): unknown {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return v;
  if (memo.has(v)) return memo.get(v);
  if (isEncodedValue(v)) {
    const bytes = v.buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    const decoded = codecs.get(v.__duskCodec)!.decode(v.header, bytes);
    memo.set(v, decoded);
    return decoded;
  }
  memo.set(v, v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = decodeAt(v[i], codecs, memo, depth + 1);
  } else if (isPlain(v)) {
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = decodeAt(o[k], codecs, memo, depth + 1);
  }
  return v;
}
