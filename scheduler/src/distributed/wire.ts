/**
 * The bytes on the wire: one msgpack value per WebSocket frame. Typed arrays travel as
 * raw bytes (msgpackr's typed-array extension), Arrow tables as their codec's header and
 * buffers (core's encodeValue); Map, Set, Date, RegExp and Error keep their types, as
 * they do between local processes.
 */
import { Packr, Unpackr } from 'msgpackr';
import { DistributedProtocolError } from './errors.js';

/**
 * Largest frame accepted (ws `maxPayload`). A 10-million-element float64 chunk is 80 MB;
 * a frame above this is refused before it is buffered, so a broken or hostile peer cannot
 * make a process hold gigabytes.
 */
export const MAX_FRAME_BYTES = 512 * 2 ** 20;

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
export function decodeFrame(bytes: Uint8Array, from = 'peer'): unknown {
  if (bytes.byteLength > MAX_FRAME_BYTES) {
    throw new DistributedProtocolError(
      `A ${bytes.byteLength}-byte frame from ${from} is larger than ${MAX_FRAME_BYTES} bytes.`,
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
