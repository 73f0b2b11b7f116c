/**
 * The bytes on the wire: one msgpack value per message. Typed arrays travel as raw bytes
 * (msgpackr's typed-array extension), Arrow tables as their codec's header and buffers
 * (core's encodeValue); Map, Set, Date, RegExp and Error keep their types, as they do
 * between local processes. A message that fits one part (`PART_BYTES`, or less when the
 * receiver takes shorter frames) is one WebSocket frame; a longer one (an 800 MB array
 * brought to the client) is a small header frame and then its bytes in parts
 * (`framesOf`, `FrameReader`).
 */
import { constants } from 'node:buffer';
import { Packr, Unpackr } from 'msgpackr';
import { DistributedProtocolError } from './errors.js';

/**
 * Largest frame accepted (ws `maxPayload`). A frame above this is refused before it is
 * buffered, so a broken or hostile peer cannot make a process hold gigabytes in one go.
 */
export const MAX_FRAME_BYTES = 512 * 2 ** 20;

/** Messages longer than this go in parts of this many bytes. */
export const PART_BYTES = 64 * 2 ** 20;

/**
 * Longest message, in parts: 4 GiB less a byte (msgpack's own limit for one binary value,
 * and Node's for one Buffer). A peer's header asking for more is a protocol error; the
 * bytes it announces are only held as they arrive.
 */
export const MAX_MESSAGE_BYTES = Math.min(2 ** 32 - 1, constants.MAX_LENGTH);

/**
 * What a receiver takes, as its peers send to it: parts no longer than `partBytes`, and no
 * message longer than `maxMessageBytes` (the scheduler's welcome says both).
 */
export interface WireLimits {
  partBytes: number;
  maxMessageBytes: number;
}

export const DEFAULT_LIMITS: WireLimits = {
  partBytes: PART_BYTES,
  maxMessageBytes: MAX_MESSAGE_BYTES,
};

/** `t` of the header frame that announces a message in parts. */
const PARTS = '~parts';

// Records (msgpackr's extension for objects) keep a JS Map a Map: objects travel as
// records, Maps as msgpack maps. No `structures` are given, so each frame carries its own
// record definitions and decodes on its own: a peer cannot make us remember structures.
const options = { useRecords: true, moreTypes: true } as const;
const packr = new Packr(options);
const unpackr = new Unpackr(options);

/** One message as the bytes of a frame. */
export function encodeFrame(message: unknown): Uint8Array {
  return packr.pack(message);
}

/**
 * The message in a frame. Throws DistributedProtocolError for anything that is not
 * exactly one msgpack value (the caller closes that connection).
 * @example decodeFrame(encodeFrame({ t: 'hello' })) // { t: 'hello' }
 */
export function decodeFrame(bytes: Uint8Array, from = 'peer', max = MAX_FRAME_BYTES): unknown {
  if (bytes.byteLength > max) {
    throw new DistributedProtocolError(
      `A ${bytes.byteLength}-byte frame from ${from} is larger than ${max} bytes.`,
    );
  }
  try {
    return unpackr.unpack(bytes);
  } catch (e) {
    if (e instanceof DistributedProtocolError) throw e;
    throw new DistributedProtocolError(
      `A frame from ${from} is not valid msgpack (${(e as Error).message}); the connection ` +
        'is closed. Connect with a Dusk client or worker of the same version.',
      { cause: e },
    );
  }
}

/**
 * The frames of one message: the message itself when it fits a part, else a header
 * (`{ t: '~parts', bytes, n }`) and the message's bytes cut into `n` frames. Throws
 * DistributedProtocolError, sending nothing, for a message longer than `to` takes.
 * @example framesOf({ t: 'result', id: 1, values: [bigArray] }).length // 1 + parts
 */
export function framesOf(
  message: unknown,
  limits: WireLimits = DEFAULT_LIMITS,
  to = 'the receiver',
): Uint8Array[] {
  const { partBytes, maxMessageBytes } = limits;
  const bytes = encodeFrame(message);
  if (bytes.byteLength > maxMessageBytes) {
    throw new DistributedProtocolError(
      `A ${bytes.byteLength}-byte message is longer than ${to} takes (${maxMessageBytes} bytes). ` +
        'Split the value into smaller chunks or partitions, keep it on the cluster with ' +
        "persist(), or raise the scheduler's maxMessageBytes.",
    );
  }
  if (bytes.byteLength <= partBytes) return [bytes];
  const n = Math.ceil(bytes.byteLength / partBytes);
  const frames = [encodeFrame({ t: PARTS, bytes: bytes.byteLength, n })];
  for (let i = 0; i < n; i++) frames.push(bytes.subarray(i * partBytes, (i + 1) * partBytes));
  return frames;
}

/** What `FrameReader.read` returns while a message in parts is still arriving. */
export const PARTIAL: unique symbol = Symbol('partial message');

/**
 * Turns the frames of one connection back into messages (see `framesOf`). One per socket:
 * parts of a message arrive in order and nothing comes between them.
 */
export class FrameReader {
  private buf?: Uint8Array;
  private at = 0;
  private left = 0;

  constructor(
    private readonly from: string,
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
  ) {}

  /** The message these bytes complete, or PARTIAL. Throws DistributedProtocolError. */
  read(bytes: Uint8Array): unknown {
    if (this.buf) return this.part(bytes);
    const m = decodeFrame(bytes, this.from);
    if ((m as { t?: unknown } | null)?.t !== PARTS) return m;
    const { bytes: total, n } = m as { bytes: unknown; n: unknown };
    const ok = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;
    if (!ok(total) || !ok(n) || total > this.maxMessageBytes || n > total) {
      throw new DistributedProtocolError(
        `Malformed message from ${this.from}: a message in parts must announce 1 to ` +
          `${this.maxMessageBytes} bytes in at most as many parts (got bytes ${String(total)}, parts ${String(n)}).`,
      );
    }
    // Only the pages written as parts arrive become memory.
    this.buf = Buffer.allocUnsafe(total);
    this.at = 0;
    this.left = n;
    return PARTIAL;
  }

  private part(bytes: Uint8Array): unknown {
    const buf = this.buf!;
    if (bytes.byteLength > buf.byteLength - this.at) {
      this.buf = undefined;
      throw new DistributedProtocolError(
        `Malformed message from ${this.from}: its parts hold more than the ${buf.byteLength} bytes announced.`,
      );
    }
    buf.set(bytes, this.at);
    this.at += bytes.byteLength;
    if (--this.left > 0) return PARTIAL;
    this.buf = undefined;
    if (this.at !== buf.byteLength) {
      throw new DistributedProtocolError(
        `Malformed message from ${this.from}: its parts hold ${this.at} of the ${buf.byteLength} bytes announced.`,
      );
    }
    return decodeFrame(buf, this.from, this.maxMessageBytes);
  }
}
