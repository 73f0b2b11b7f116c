/**
 * Small helpers every socket shell uses: sending one message (one frame, or parts),
 * closing with a reason that fits the WebSocket limit, and telling loopback peers apart.
 */
import type { WebSocket } from 'ws';
import { DEFAULT_LIMITS, framesOf, MAX_FRAME_BYTES, type WireLimits } from './wire.js';

/** Close codes: the standard ones for protocol errors and policy (auth) refusals. */
export const CLOSE_PROTOCOL = 1002;
export const CLOSE_POLICY = 1008;
export const CLOSE_GOING_AWAY = 1001;

// RFC 6455 allows 123 bytes of close reason.
const MAX_REASON_BYTES = 123;

/**
 * Sends one message within the receiver's `limits` (in parts when it is long, wire.ts
 * `framesOf`); a closed socket drops it (its close is handled elsewhere). Throws
 * DistributedProtocolError, sending nothing, for a message longer than the receiver takes.
 */
export function sendMessage(
  ws: WebSocket,
  message: unknown,
  limits: WireLimits = DEFAULT_LIMITS,
  to?: string,
): void {
  if (ws.readyState !== ws.OPEN) return;
  for (const frame of framesOf(message, limits, to)) ws.send(frame);
}

/** Closes with `code` and as much of `reason` as the protocol allows. */
export function closeWith(ws: WebSocket, code: number, reason: string): void {
  let r = reason;
  while (Buffer.byteLength(r) > MAX_REASON_BYTES) r = r.slice(0, -2);
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, r);
}

/** Whether a peer address is this machine. */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The bytes of a frame, whatever form ws hands them over in. */
export function frameBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/**
 * The masking key of every frame our clients and workers send: zeros, which ws sends
 * without touching the payload (and the server reads without unmasking). Masking guards
 * proxies against pages in a browser that choose a frame's bytes; Dusk's peers are not
 * browsers, and ws XOR-ed every byte in JavaScript (a 640 MB result to the caller on a
 * local cluster: 13.9 -> 10.0 s).
 */
function unmaskedFrames(mask: Uint8Array): void {
  mask.fill(0);
}

/** The options of a client's or a worker's socket to a scheduler. */
export const PEER_SOCKET_OPTIONS = {
  maxPayload: MAX_FRAME_BYTES,
  perMessageDeflate: false,
  generateMask: unmaskedFrames,
} as const;
