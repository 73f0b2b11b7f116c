/**
 * Messages between the scheduler server, its workers and its clients, and the checks a
 * receiver runs before acting on one: a message of the wrong shape is a
 * DistributedProtocolError naming the field, never a crash further in. Plain data.
 */
import type { PlainError } from '@dusk/core';
import type { FromWorker, ToWorker } from '../local/protocol.js';
import type { Progress } from '../scheduler.js';
import { DistributedProtocolError } from './errors.js';
import { MAX_MESSAGE_BYTES, PART_BYTES, type WireLimits } from './wire.js';

/**
 * Bumped when a message changes shape; peers of another version are refused. 2: long
 * messages go in parts (wire.ts), no longer than the `maxFrame` a welcome announces, and
 * none longer than its `maxMessage`.
 */
export const PROTOCOL_VERSION = 2;

export type Hello =
  | { t: 'hello'; v: number; role: 'client'; token?: string }
  | { t: 'hello'; v: number; role: 'worker'; token?: string; name: string; nthreads: number };

/** An error sent to a client: PlainError fields plus the original error of a task. */
export interface WireError extends PlainError {
  original?: { name: string; message: string; stack?: string; code?: string };
}

export type ClientToServer =
  | {
      t: 'compute';
      id: number;
      keys: string[];
      /** [key, node] pairs; `enc` says codec markers may be inside (core encodeValue). */
      graph: [string, unknown][];
      enc: boolean;
      progress: boolean;
      workers?: number;
      /** Keep the outputs on the workers; the result lists their sizes in bytes. */
      persist?: boolean;
    }
  /** The values of held keys (for a compute on another scheduler). */
  | { t: 'fetch'; id: number; keys: string[] }
  /** This client's persisted collections no longer refer to these keys. */
  | { t: 'drop'; keys: string[] }
  | { t: 'cancel'; id: number };

export type ServerToClient =
  | { t: 'welcome'; trusted: boolean; maxFrame: number; maxMessage: number }
  | { t: 'progress'; id: number; items: Progress[] }
  /** Values may hold codec markers: the client decodes them. */
  | { t: 'result'; id: number; values: unknown[] }
  | { t: 'error'; id: number; error: WireError };

export type WorkerToServer =
  | { t: 'msg'; th: number; msg: FromWorker }
  /** Thread `th` died; the worker starts a new one and says `up`. */
  | { t: 'exit'; th: number; reason: string }
  | { t: 'up'; th: number };

export type ServerToWorker =
  | { t: 'welcome'; maxFrame: number; maxMessage: number }
  | { t: 'msg'; th: number; msg: ToWorker };

function fail(what: string, from: string): never {
  throw new DistributedProtocolError(`Malformed message from ${from}: ${what}.`);
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isStrings = (x: unknown): x is string[] =>
  Array.isArray(x) && x.every((s) => typeof s === 'string');

function typed(m: unknown, from: string): Record<string, unknown> & { t: string } {
  if (!isObj(m) || typeof m.t !== 'string') fail('not an object with a string `t`', from);
  return m as Record<string, unknown> & { t: string };
}

/** Checks a connection's first message. */
export function checkHello(m: unknown, from: string): Hello {
  const h = typed(m, from);
  if (h.t !== 'hello') fail(`expected 'hello' first, got '${h.t}'`, from);
  if (h.v !== PROTOCOL_VERSION) {
    fail(`protocol version ${String(h.v)}, this scheduler speaks ${PROTOCOL_VERSION}`, from);
  }
  if (h.token !== undefined && typeof h.token !== 'string') fail('`token` is not a string', from);
  if (h.role === 'client') return h as Hello;
  if (h.role !== 'worker') fail("`role` is neither 'client' nor 'worker'", from);
  if (typeof h.name !== 'string' || h.name.length === 0 || h.name.length > 200) {
    fail('`name` is not a string of 1 to 200 characters', from);
  }
  if (!isInt(h.nthreads) || h.nthreads < 1 || h.nthreads > 1024) {
    fail('`nthreads` is not a whole number from 1 to 1024', from);
  }
  return h as Hello;
}

/** Checks a message from a client (the graph's nodes are checked by admission). */
export function checkClientMessage(m: unknown, from: string): ClientToServer {
  const c = typed(m, from);
  if (c.t === 'drop') {
    if (!isStrings(c.keys)) fail('`keys` is not a list of strings', from);
    return c as ClientToServer;
  }
  if (!isInt(c.id)) fail('`id` is not a whole number', from);
  if (c.t === 'cancel') return c as ClientToServer;
  if (c.t === 'fetch') {
    if (!isStrings(c.keys)) fail('`keys` is not a list of strings', from);
    return c as ClientToServer;
  }
  if (c.t !== 'compute') fail(`unknown message type '${c.t}'`, from);
  if (!isStrings(c.keys)) fail('`keys` is not a list of strings', from);
  if (typeof c.enc !== 'boolean' || typeof c.progress !== 'boolean') {
    fail('`enc` or `progress` is not a boolean', from);
  }
  if (c.persist !== undefined && typeof c.persist !== 'boolean') {
    fail('`persist` is not a boolean', from);
  }
  if (c.workers !== undefined && (!isInt(c.workers) || c.workers < 1)) {
    fail('`workers` is not a whole number of at least 1', from);
  }
  if (!Array.isArray(c.graph)) fail('`graph` is not a list of [key, node]', from);
  for (const e of c.graph as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !isObj(e[1])) {
      fail('`graph` holds an entry that is not [key, node]', from);
    }
  }
  return c as ClientToServer;
}

function checkFromWorker(m: unknown, from: string): FromWorker {
  const f = typed(m, from);
  if (typeof f.run !== 'string') fail('`run` is not a string', from);
  switch (f.t) {
    case 'done':
      if (!Array.isArray(f.items) || f.items.length % 3 !== 0) {
        fail('`items` is not a list of (task, bytes, ms) triples', from);
      }
      if (!(f.items as unknown[]).every((x) => typeof x === 'number')) {
        fail('`items` holds something other than numbers', from);
      }
      break;
    case 'err':
      if (!isInt(f.task) || !isObj(f.error) || typeof f.error.message !== 'string') {
        fail('an `err` without a task index and an error message', from);
      }
      break;
    case 'data':
      if (!isInt(f.req) || !Array.isArray(f.values) || typeof f.enc !== 'boolean') {
        fail('a `data` reply without `req`, `values` or `enc`', from);
      }
      break;
    default:
      fail(`unknown worker message type '${f.t}'`, from);
  }
  return f as unknown as FromWorker;
}

/** Checks a message from a worker. */
export function checkWorkerMessage(m: unknown, from: string, nthreads: number): WorkerToServer {
  const w = typed(m, from);
  if (!isInt(w.th) || w.th >= nthreads) fail(`thread \`th\` is not in 0..${nthreads - 1}`, from);
  if (w.t === 'msg') return { t: 'msg', th: w.th, msg: checkFromWorker(w.msg, from) };
  if (w.t === 'up') return w as WorkerToServer;
  if (w.t === 'exit' && typeof w.reason === 'string') return w as WorkerToServer;
  return fail(`unknown worker message type '${w.t}'`, from);
}

/** The smallest frame limit a scheduler may announce: room for any message's header. */
export const MIN_FRAME_BYTES = 64 * 1024;

/** A welcome must say what the scheduler takes: the longest frame, and message. */
function checkWelcome(s: Record<string, unknown>, from: string): Record<string, unknown> {
  for (const f of ['maxFrame', 'maxMessage'] as const) {
    const v = s[f];
    if (!isInt(v) || v < MIN_FRAME_BYTES)
      fail(`\`${f}\` is not a whole number of at least ${MIN_FRAME_BYTES} bytes`, from);
  }
  return s;
}

/** What a peer sends to a scheduler that welcomed it (its parts and its longest message). */
export function limitsOf(welcome: { maxFrame: number; maxMessage: number }): WireLimits {
  return {
    partBytes: Math.min(PART_BYTES, welcome.maxFrame),
    maxMessageBytes: Math.min(MAX_MESSAGE_BYTES, welcome.maxMessage),
  };
}

/** Checks a message from the scheduler, on a worker. */
export function checkServerToWorker(m: unknown, from: string, nthreads: number): ServerToWorker {
  const s = typed(m, from);
  if (s.t === 'welcome') return checkWelcome(s, from) as ServerToWorker;
  if (s.t !== 'msg' || !isInt(s.th) || s.th >= nthreads) fail('not a message for a thread', from);
  const msg = typed(s.msg, from);
  if (typeof msg.run !== 'string') fail('`run` is not a string', from);
  return s as ServerToWorker;
}

/** Checks a message from the scheduler, on a client. */
export function checkServerToClient(m: unknown, from: string): ServerToClient {
  const s = typed(m, from);
  if (s.t === 'welcome') return checkWelcome(s, from) as ServerToClient;
  if (!isInt(s.id)) fail('`id` is not a whole number', from);
  if (s.t === 'result' && Array.isArray(s.values)) return s as ServerToClient;
  if (s.t === 'progress' && Array.isArray(s.items)) return s as ServerToClient;
  if (s.t === 'error' && isObj(s.error) && typeof s.error.message === 'string') {
    return s as ServerToClient;
  }
  return fail(`unknown or incomplete message '${s.t}'`, from);
}
