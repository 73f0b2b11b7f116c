/**
 * The scheduler server (`dusk-scheduler`): accepts workers and clients over WebSockets,
 * checks each connection's hello and token, and hands it to a worker or client session.
 * A connection that breaks the protocol gets a DistributedProtocolError, is closed with
 * the reason, and nothing else is disturbed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, isDuskError, WorkerError } from '@dusk/core';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_RETRY_LIMIT } from '../local/pool.js';
import { ClusterPool } from './cluster-pool.js';
import { DistributedAuthError } from './errors.js';
import { checkHello, type Hello, MIN_FRAME_BYTES } from './messages.js';
import { ClientSession } from './server-client.js';
import { WorkerSession } from './server-worker.js';
import {
  CLOSE_GOING_AWAY,
  CLOSE_POLICY,
  CLOSE_PROTOCOL,
  closeWith,
  frameBytes,
  isLoopback,
  sendMessage,
} from './socket-util.js';
import { FrameReader, MAX_FRAME_BYTES, MAX_MESSAGE_BYTES, PARTIAL } from './wire.js';

/** Dask's scheduler port. */
export const DEFAULT_PORT = 8786;
// A peer that has not said who it is by then is dropped (a port scan, a stuck client).
const HELLO_TIMEOUT_MS = 10_000;
// Pings find peers that vanished without closing (a machine switched off, a cut cable).
const HEARTBEAT_MS = 15_000;
// Dask waits for workers indefinitely; we fail a compute after this, saying how to start one.
const WORKER_WAIT_MS = 60_000;

export interface SchedulerServerOptions {
  /** Port (default 8786; 0 picks a free one). */
  port?: number;
  /** Interface to listen on: 127.0.0.1 unless a token is set, then all interfaces. */
  host?: string;
  /** Shared secret for workers and trusted clients (`DUSK_SCHEDULER_TOKEN`). */
  token?: string;
  workerWaitMs?: number;
  retryLimit?: number;
  /**
   * The longest WebSocket frame taken (default 512 MiB, at least 64 KiB). Peers learn it
   * from the welcome and send longer messages in parts that fit it.
   */
  maxFrameBytes?: number;
  /**
   * The longest message taken, in parts (default and most 4 GiB less a byte, at least 64
   * KiB). Peers learn it from the welcome and refuse to send a longer one, with a typed
   * error for that compute; a longer one arriving is a protocol error.
   */
  maxMessageBytes?: number;
  /** Where events (workers joining, refused connections) are written; default stderr. */
  log?: (line: string) => void;
}

type Session = WorkerSession | ClientSession;

/**
 * @example
 * const server = await SchedulerServer.start({ port: 0 });
 * console.log(server.address); // ws://127.0.0.1:40123
 */
export class SchedulerServer {
  readonly pool: ClusterPool;
  private readonly names = new Set<string>();
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly log: (line: string) => void;
  /** What this server takes, as its welcome tells peers: the longest frame and message. */
  private readonly takes: { maxFrame: number; maxMessage: number };

  private constructor(
    private readonly wss: WebSocketServer,
    readonly address: string,
    private readonly opts: SchedulerServerOptions,
  ) {
    this.log = opts.log ?? ((l) => process.stderr.write(`[dusk-scheduler] ${l}\n`));
    this.takes = {
      maxFrame: opts.maxFrameBytes ?? MAX_FRAME_BYTES,
      maxMessage: opts.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    };
    this.pool = new ClusterPool({
      workerWaitMs: opts.workerWaitMs ?? WORKER_WAIT_MS,
      retryLimit: opts.retryLimit ?? DEFAULT_RETRY_LIMIT,
    });
    wss.on('connection', (ws, req) => this.accept(ws, req));
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Starts listening; resolves once the port is bound. */
  static start(opts: SchedulerServerOptions = {}): Promise<SchedulerServer> {
    for (const name of ['maxFrameBytes', 'maxMessageBytes'] as const) {
      const v = opts[name];
      if (
        v !== undefined &&
        !(Number.isSafeInteger(v) && v >= MIN_FRAME_BYTES && v <= MAX_MESSAGE_BYTES)
      ) {
        return Promise.reject(
          new InvalidArgumentError(
            `SchedulerServer: ${name} must be a whole number from ${MIN_FRAME_BYTES} to ${MAX_MESSAGE_BYTES} (got ${v}).`,
          ),
        );
      }
    }
    const host = opts.host ?? (opts.token ? '0.0.0.0' : '127.0.0.1');
    const port = opts.port ?? DEFAULT_PORT;
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({
        host,
        port,
        maxPayload: opts.maxFrameBytes ?? MAX_FRAME_BYTES,
        perMessageDeflate: false,
      });
      wss.once('error', reject);
      wss.once('listening', () => {
        wss.off('error', reject);
        const bound = wss.address() as AddressInfo;
        const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
        resolve(new SchedulerServer(wss, `ws://${shown}:${bound.port}`, opts));
      });
    });
  }

  /** The port actually bound. */
  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  /** Stops accepting, fails running computes, closes every connection. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.pool.close(new WorkerError('The scheduler was closed while this compute ran.'));
    for (const ws of this.wss.clients) closeWith(ws, CLOSE_GOING_AWAY, 'the scheduler is closing');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    let session: Session | undefined;
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    const helloTimer = setTimeout(
      () => this.refuse(ws, peer, CLOSE_POLICY, 'no hello within the time allowed'),
      HELLO_TIMEOUT_MS,
    );
    const reader = new FrameReader(peer, this.takes.maxMessage);
    ws.on('message', (data: RawData) => {
      try {
        const msg = reader.read(frameBytes(data));
        if (msg === PARTIAL) return;
        if (session) session.onMessage(msg);
        else {
          clearTimeout(helloTimer);
          session = this.greet(ws, req, peer, checkHello(msg, peer));
        }
      } catch (e) {
        this.onBadMessage(ws, peer, e);
      }
    });
    ws.on('error', (e) => this.log(`connection ${peer}: ${e.message}`));
    ws.on('close', (code, reason) => {
      clearTimeout(helloTimer);
      if (session instanceof WorkerSession) {
        this.names.delete(session.name);
        this.log(`worker '${session.name}' left (${code}${reason.length ? ` ${reason}` : ''})`);
        session.onClose(`lost its connection to the scheduler (close code ${code})`);
      } else session?.onClose();
    });
  }

  private greet(ws: WebSocket, req: IncomingMessage, peer: string, hello: Hello): Session {
    const tokenOk = this.opts.token !== undefined && sameSecret(hello.token, this.opts.token);
    if (hello.token !== undefined && this.opts.token !== undefined && !tokenOk) {
      throw new DistributedAuthError(`${peer} presented a wrong token.`);
    }
    if (hello.role === 'worker') {
      if (this.opts.token !== undefined && !tokenOk) {
        throw new DistributedAuthError(
          `Worker ${peer} did not present the token; start it with --token (or DUSK_SCHEDULER_TOKEN).`,
        );
      }
      const name = this.uniqueName(hello.name);
      sendMessage(ws, { t: 'welcome', ...this.takes });
      this.log(`worker '${name}' joined from ${peer} with ${hello.nthreads} thread(s)`);
      return new WorkerSession(ws, name, hello.nthreads, this.pool);
    }
    // With a token set, every client must present it: an installed package's exports are
    // code enough to do harm, so "module functions only" is no safe mode for strangers.
    if (this.opts.token !== undefined && !tokenOk) {
      throw new DistributedAuthError(
        `Client ${peer} did not present the scheduler's token; pass it with compute(x, ` +
          "{ scheduler: 'distributed', address, token }) or DUSK_SCHEDULER_TOKEN.",
      );
    }
    const trusted = tokenOk || isLoopback(req.socket.remoteAddress);
    sendMessage(ws, { t: 'welcome', trusted, ...this.takes });
    return new ClientSession(ws, peer, trusted, this.address, this.pool);
  }

  private onBadMessage(ws: WebSocket, peer: string, e: unknown): void {
    if (isDuskError(e) && (e.code === 'E_PROTOCOL' || e.code === 'E_AUTH')) {
      const close = e.code === 'E_AUTH' ? CLOSE_POLICY : CLOSE_PROTOCOL;
      this.refuse(ws, peer, close, `${e.code}: ${e.message}`);
      return;
    }
    // A bug here must not take the server down with it: drop this connection only.
    this.refuse(ws, peer, 1011, `internal error: ${(e as Error).message}`);
  }

  private refuse(ws: WebSocket, peer: string, code: number, reason: string): void {
    this.log(`closed ${peer}: ${reason}`);
    closeWith(ws, code, reason);
  }

  private uniqueName(name: string): string {
    let unique = name;
    for (let n = 2; this.names.has(unique); n++) unique = `${name}-${n}`;
    this.names.add(unique);
    return unique;
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.get(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
