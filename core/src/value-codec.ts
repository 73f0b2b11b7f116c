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

// Walking stops this deep: values are chunks, rows and small records, not deep trees.
const MAX_DEPTH = 8;

/**
 * Replaces codec-handled values inside `value` with markers. Returns the value itself
 * (not a copy) when nothing needed encoding, and says whether anything was encoded.
 * @example const { value, encoded } = encodeValue([table, 3]);
 */
export function encodeValue(value: unknown): { value: unknown; encoded: boolean } {
  if (!hasCodecs()) return { value, encoded: false };
  const state = { encoded: false };
  const out = encodeAt(value, state, 0);
  return { value: out, encoded: state.encoded };
}

function encodeAt(v: unknown, state: { encoded: boolean }, depth: number): unknown {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return v;
  const codec: Codec | undefined = codecFor(v);
  if (codec) {
    state.encoded = true;
    const { header, buffers } = codec.encode(v);
    const marker: EncodedValue = { __duskCodec: codec.name, module: codec.module, header, buffers };
    return marker;
  }
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (typeof e !== 'object' || e === null) continue;
      const x = encodeAt(e, state, depth + 1);
      if (x !== e) {
        copy ??= v.slice();
        copy[i] = x;
      }
    }
    return copy ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  let copy: Record<string, unknown> | undefined;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const e = o[k];
    if (typeof e !== 'object' || e === null) continue;
    const x = encodeAt(e, state, depth + 1);
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
  collectMarkers(value, wanted, 0);
  const codecs = new Map<string, Codec>();
  for (const [name, module] of wanted) codecs.set(name, await loadCodec(name, module));
  return decodeAt(value, codecs, 0);
}

function collectMarkers(v: unknown, out: Map<string, string>, depth: number): void {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return;
  if (isEncodedValue(v)) {
    out.set(v.__duskCodec, v.module);
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectMarkers(v[i], out, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return;
  for (const k in v as object) collectMarkers((v as any)[k], out, depth + 1);
}

function decodeAt(v: unknown, codecs: Map<string, Codec>, depth: number): unknown {
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || ArrayBuffer.isView(v)) return v;
  if (isEncodedValue(v)) {
    const bytes = v.buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    return codecs.get(v.__duskCodec)!.decode(v.header, bytes);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = decodeAt(v[i], codecs, depth + 1);
    return v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const o = v as Record<string, unknown>;
  for (const k in o) o[k] = decodeAt(o[k], codecs, depth + 1);
  return v;
}
