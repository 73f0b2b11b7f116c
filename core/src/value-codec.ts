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
import { mapPacked } from './packed.js';

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
 * (not a copy) when nothing needed encoding, says whether anything was encoded, and counts
 * the bytes of the buffers the message will carry (typed arrays and codec buffers; values
 * sent by number carry none). Objects reached twice are walked once (shared parts stay
 * shared, cycles end).
 * @example const { value, encoded } = encodeValue([table, 3]);
 */
export function encodeValue(
  value: unknown,
  cache?: LiteralCache,
): { value: unknown; encoded: boolean; bytes?: number; paths?: MarkerPath[] } {
  if (!hasCodecs()) return { value, encoded: false };
  const walk: EncodeWalk = {
    encoded: false,
    memo: new Map(),
    cache,
    pending: [],
    bytes: 0,
    paths: [],
  };
  const out = encodeTree(value, walk);
  // Codecs run after the walk: inlined into the walker, a codec's encode made V8's
  // optimizing compile of it take ~15-20 ms of CPU.
  const kept: number[] = [];
  for (const p of walk.pending) if (encodeFound(p, walk)) kept.push(p.id);
  // Only once every codec has run: a message that fails to encode is never sent, so the
  // receiver must not be thought to keep anything from it.
  for (const id of kept) cache!.add(id);
  return { value: out, encoded: walk.encoded, bytes: walk.bytes, paths: walk.paths };
}

/**
 * Where a marker sits in an encoded value: the keys from the value down to it (empty: the
 * value itself). A receiver given the paths (`decodeValue`) goes straight to the markers
 * instead of walking the whole message.
 */
export type MarkerPath = (string | number)[];

/** A marker whose codec has not run yet (`encodeFound` fills it in). */
interface Pending {
  value: object;
  codec: Codec;
  /** The marker in the message, filled in once the codec has run. */
  marker: { -readonly [K in keyof EncodedValue]: EncodedValue[K] };
  id: number;
}

interface EncodeWalk {
  encoded: boolean;
  memo: Map<object, unknown>;
  cache: LiteralCache | undefined;
  pending: Pending[];
  bytes: number;
  /** Where each marker was put (see `MarkerPath`). */
  paths: MarkerPath[];
}

/** Runs the codec of a found value into its marker; says whether the receiver keeps it. */
function encodeFound(p: Pending, walk: EncodeWalk): boolean {
  const { header, buffers } = p.codec.encode(p.value);
  p.marker.header = header;
  p.marker.buffers = buffers;
  for (const b of buffers) walk.bytes += b.byteLength;
  // Only values wholly on shared memory are kept: a kept copy of ordinary bytes would
  // double their memory at the receiver.
  if (walk.cache === undefined || buffers.length === 0 || !buffers.every(isShared)) return false;
  p.marker.ref = p.id;
  return true;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A container being walked: its child `i` is next (`keys` for plain objects). The walkers
 * keep their own stack instead of recursing: V8 inlined a recursive walker into itself
 * level after level, and each new shape of message cost a 10-20 ms optimizing compile.
 */
interface Frame {
  src: Record<string | number, unknown>;
  keys: string[] | null;
  i: number;
  /** The copy that replaces `src` once a child was replaced (copy on write). */
  copy: Record<string | number, unknown> | undefined;
}

/** Returned by `enter` for an array or plain object whose children are to be walked. */
const OPEN = Symbol('open');

function frameOf(v: object): Frame {
  return {
    src: v as Record<string | number, unknown>,
    keys: Array.isArray(v) ? null : Object.keys(v),
    i: 0,
    copy: undefined,
  };
}

function setChild(f: Frame, k: string | number, x: unknown): void {
  if (f.copy === undefined) {
    const src = f.src as unknown;
    f.copy = (Array.isArray(src) ? src.slice() : { ...f.src }) as Frame['src'];
  }
  f.copy[k] = x;
}

/** What `v` becomes, or OPEN for a container to walk (`depth`: containers above it). */
function enter(v: object, walk: EncodeWalk, depth: number): unknown {
  if (depth > MAX_DEPTH) return v;
  if (ArrayBuffer.isView(v)) {
    walk.bytes += v.byteLength;
    return v;
  }
  const memo = walk.memo;
  if (memo.has(v)) return memo.get(v);
  const codec: Codec | undefined = codecFor(v);
  if (codec) {
    walk.encoded = true;
    const cache = walk.cache;
    const id = cache ? cache.idOf(v) : 0;
    const out: Pending['marker'] = { __duskCodec: codec.name, module: codec.module };
    // Kept by the receiver: the number alone; else the codec fills the marker in later.
    if (cache?.has(id)) out.ref = id;
    else walk.pending.push({ value: v, codec, marker: out, id });
    memo.set(v, out);
    return out;
  }
  if (!Array.isArray(v) && !isPlain(v)) return v;
  // Reached again while still being walked (a cycle): it stays as it is.
  memo.set(v, v);
  return OPEN;
}

function encodeTree(root: unknown, walk: EncodeWalk): unknown {
  if (typeof root !== 'object' || root === null) return root;
  const first = enter(root, walk, 0);
  if (first !== OPEN) {
    if (first !== root && isEncodedValue(first)) walk.paths.push([]);
    return first;
  }
  const stack: Frame[] = [frameOf(root)];
  for (;;) {
    const f = stack[stack.length - 1]!;
    // Arrays and objects apart, so each keyed read sees one kind of key.
    let k: string | number | undefined;
    let e: unknown;
    if (f.keys === null) {
      const a = f.src as unknown as unknown[];
      if (f.i < a.length) {
        k = f.i++;
        e = a[k];
      }
    } else if (f.i < f.keys.length) {
      const name = f.keys[f.i++]!;
      k = name;
      e = f.src[name];
    }
    if (k !== undefined) {
      if (typeof e !== 'object' || e === null) continue;
      const x = enter(e, walk, stack.length);
      if (x === OPEN) stack.push(frameOf(e));
      else if (x !== e) {
        setChild(f, k, x);
        if (isEncodedValue(x)) walk.paths.push(pathTo(stack));
      }
      continue;
    }
    stack.pop();
    const out = f.copy ?? f.src;
    walk.memo.set(f.src, out);
    const parent = stack[stack.length - 1];
    if (parent === undefined) return out;
    if (out !== f.src) {
      const i = parent.i - 1;
      setChild(parent, parent.keys === null ? i : parent.keys[i]!, out);
    }
  }
}

/** The keys from the root down to the child each frame of `stack` is at. */
function pathTo(stack: Frame[]): MarkerPath {
  return stack.map((f) => (f.keys === null ? f.i - 1 : f.keys[f.i - 1]!));
}

/**
 * Undoes `encodeValue`, in place: markers become values again through their codecs
 * (imported by module name when this process has not registered them yet). Pass only a
 * value that was just received (it is changed).
 * @example const table = await decodeValue(message.value);
 */
export async function decodeValue(
  value: unknown,
  kept?: Map<number, unknown>,
  paths?: readonly MarkerPath[],
): Promise<unknown> {
  const found: Found[] = [];
  if (paths) followPaths(value, paths, found);
  else if (typeof value === 'object' && value !== null) findMarkers(value, found);
  if (found.length === 0) return value;
  const codecs = new Map<string, Codec>();
  for (const f of found) {
    const m = f.marker;
    if (!codecs.has(m.__duskCodec))
      codecs.set(m.__duskCodec, await loadCodec(m.__duskCodec, m.module));
  }
  const walk: DecodeWalk = { codecs, memo: new Map(), kept };
  let root = value;
  for (const f of found) {
    let decoded = walk.memo.get(f.marker);
    if (decoded === undefined && !walk.memo.has(f.marker)) {
      decoded = decodeMarker(f.marker, walk);
      walk.memo.set(f.marker, decoded);
    }
    if (f.parent === null) root = decoded;
    else if (f.index >= 0) f.parent[f.index] = decoded;
    else f.parent[f.name] = decoded;
  }
  return root;
}

/**
 * A marker and where it sits: `parent[index]` in an array, else `parent[name]` (`parent`
 * null: the value itself is the marker). Index and name are fields of their own, so the
 * record's layout stays the same whatever kind of key (V8 deoptimized on a mixed field).
 */
interface Found {
  marker: EncodedValue;
  parent: Record<string | number, unknown> | null;
  index: number;
  name: string;
}

/** The markers `paths` name (from `encodeValue`), with where each sits. */
function followPaths(root: unknown, paths: readonly MarkerPath[], found: Found[]): void {
  for (const path of paths) {
    let parent: unknown = null;
    let at: unknown = root;
    for (const k of path) {
      parent = at;
      at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[k] : undefined;
    }
    if (!isEncodedValue(at)) {
      throw new SerializationError(
        `A message's marker path [${path.join(', ')}] does not lead to an encoded value; the message was changed on its way.`,
      );
    }
    const last = path[path.length - 1];
    found.push({
      marker: at,
      parent: path.length === 0 ? null : (parent as Record<string | number, unknown>),
      index: typeof last === 'number' ? last : -1,
      name: typeof last === 'string' ? last : '',
    });
  }
}

/** Every marker inside `root`, with where it sits; containers reached twice are walked once. */
function findMarkers(root: object, found: Found[]): void {
  if (isEncodedValue(root)) {
    found.push({ marker: root, parent: null, index: -1, name: '' });
    return;
  }
  if (ArrayBuffer.isView(root) || (!Array.isArray(root) && !isPlain(root))) return;
  const seen = new Set<object>([root]);
  const stack: Frame[] = [frameOf(root)];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    // Arrays and objects apart, so each keyed read sees one kind of key.
    let index = -1;
    let name = '';
    let e: unknown;
    if (f.keys === null) {
      const a = f.src as unknown as unknown[];
      if (f.i >= a.length) {
        stack.pop();
        continue;
      }
      index = f.i++;
      e = a[index];
    } else {
      if (f.i >= f.keys.length) {
        stack.pop();
        continue;
      }
      name = f.keys[f.i++]!;
      e = f.src[name];
    }
    if (typeof e !== 'object' || e === null || ArrayBuffer.isView(e)) continue;
    if (isEncodedValue(e)) {
      found.push({ marker: e, parent: f.src, index, name });
      continue;
    }
    if (seen.has(e) || stack.length > MAX_DEPTH) continue;
    seen.add(e);
    if (Array.isArray(e) || isPlain(e)) stack.push(frameOf(e));
  }
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
  const bytes = mapPacked(v.buffers!, (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  const decoded = walk.codecs.get(v.__duskCodec)!.decode(v.header, bytes);
  if (ref !== undefined) walk.kept?.set(ref, decoded);
  return decoded;
}
