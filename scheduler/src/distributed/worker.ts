/**
 * A cluster worker (`dusk-worker ws://host:8786`): connects to the scheduler, runs
 * `nthreads` worker threads with the local pools' worker runtime, and carries messages
 * between them and the socket. When the scheduler goes away it stops its threads (their
 * results are lost to the scheduler anyway) and reconnects for a while, then gives up
 * with a message saying so. A refused token ends it at once.
 */
import { hostname } from 'node:os';
import { toPlainError } from '@dusk/core';
import { WebSocket } from 'ws';
import type { FromWorker, ToWorker } from '../local/protocol.js';
import { transferables } from '../local/sizes.js';
import { spawnThread } from '../local/thread-transport.js';
import type { WorkerHandle } from '../local/transport.js';
import { checkServerToWorker, limitsOf, PROTOCOL_VERSION } from './messages.js';
import {
  CLOSE_POLICY,
  CLOSE_PROTOCOL,
  frameBytes,
  PEER_SOCKET_OPTIONS,
  sendMessage,
} from './socket-util.js';
import { DEFAULT_LIMITS, FrameReader, PARTIAL, type WireLimits } from './wire.js';

// Dask's worker waits for a lost scheduler too (death-timeout); a minute covers a restart.
const RECONNECT_FOR_MS = 60_000;
const RECONNECT_EVERY_MS = 1_000;

export interface WorkerOptions {
  /** The scheduler, `ws://host:port`. */
  address: string;
  /** Worker threads (tasks run in parallel); default 1. */
  nthreads?: number;
  token?: string;
  /** Name shown in errors and logs; default host-pid. */
  name?: string;
  /** How long to keep trying to reach a scheduler that went away (or is not up yet). */
  reconnectForMs?: number;
  log?: (line: string) => void;
}

/** Why a worker stopped: `code` is the process exit code the CLI uses. */
export interface WorkerExit {
  code: number;
  message: string;
}

/** @example const w = DuskWorker.start({ address: 'ws://10.0.0.5:8786' }); await w.exited; */
export class DuskWorker {
  readonly exited: Promise<WorkerExit>;
  readonly name: string;
  private readonly nthreads: number;
  private threads: (WorkerHandle | undefined)[] = [];
  private ws?: WebSocket;
  /** What the scheduler takes (its welcome says): parts, and the longest message. */
  private limits: WireLimits = DEFAULT_LIMITS;
  private stopping = false;
  private lostSince = Date.now();
  private finish!: (e: WorkerExit) => void;
  private readonly log: (line: string) => void;

  private constructor(private readonly opts: WorkerOptions) {
    this.nthreads = opts.nthreads ?? 1;
    this.name = opts.name ?? `${hostname()}-${process.pid}`;
    this.log = opts.log ?? ((l) => process.stderr.write(`[dusk-worker ${this.name}] ${l}\n`));
    this.exited = new Promise((r) => {
      this.finish = r;
    });
  }

  static start(opts: WorkerOptions): DuskWorker {
    const w = new DuskWorker(opts);
    w.connect();
    return w;
  }

  /** Disconnects and stops the threads. */
  async close(): Promise<void> {
    this.stop({ code: 0, message: 'closed' });
    await this.exited;
  }

  private connect(): void {
    const ws = new WebSocket(this.opts.address, PEER_SOCKET_OPTIONS);
    this.ws = ws;
    ws.on('open', () =>
      sendMessage(ws, {
        t: 'hello',
        v: PROTOCOL_VERSION,
        role: 'worker',
        name: this.name,
        nthreads: this.nthreads,
        token: this.opts.token,
      }),
    );
    const reader = new FrameReader('the scheduler');
    ws.on('message', (data) => {
      try {
        const m = reader.read(frameBytes(data as Buffer));
        if (m !== PARTIAL) this.onMessage(m);
      } catch (e) {
        this.stop({ code: 1, message: (e as Error).message });
      }
    });
    ws.on('error', () => {}); // 'close' follows and decides
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
  }

  private onMessage(raw: unknown): void {
    const m = checkServerToWorker(raw, 'the scheduler', this.nthreads);
    if (m.t === 'welcome') {
      this.limits = limitsOf(m);
      this.log(`connected to ${this.opts.address} with ${this.nthreads} thread(s)`);
      for (let th = 0; th < this.nthreads; th++) this.threads[th] = this.spawn(th);
      return;
    }
    const msg = m.msg as ToWorker;
    const transfer = msg.t === 'put' ? transferables(msg.values) : undefined;
    this.threads[m.th]?.post(msg, transfer);
  }

  private spawn(th: number): WorkerHandle {
    const handle: WorkerHandle = spawnThread(`${this.name}/${th}`, {
      message: (msg) => {
        if (this.threads[th] === handle) this.forward(th, msg);
      },
      exit: (reason) => {
        if (this.threads[th] !== handle || this.stopping) return;
        // A task killed this thread: say so, start a fresh one, say it is up.
        sendMessage(
          this.ws!,
          { t: 'exit', th, reason: `${this.name}/${th} ${reason}` },
          this.limits,
        );
        this.threads[th] = this.spawn(th);
        sendMessage(this.ws!, { t: 'up', th }, this.limits);
      },
    });
    handle.unref();
    return handle;
  }

  /**
   * Passes a thread's message to the scheduler. Values too long for it become the error
   * that says so, for the compute that asked for them (the thread and the connection go on).
   */
  private forward(th: number, msg: FromWorker): void {
    try {
      sendMessage(this.ws!, { t: 'msg', th, msg }, this.limits, 'the scheduler');
    } catch (e) {
      if (msg.t !== 'data') throw e;
      const error = toPlainError(e);
      const refused: FromWorker = { ...msg, values: [], enc: false, error };
      sendMessage(this.ws!, { t: 'msg', th, msg: refused }, this.limits);
    }
  }

  private onClose(code: number, reason: string): void {
    const wasConnected = this.threads.length > 0;
    this.stopThreads();
    if (this.stopping) return;
    if (code === CLOSE_POLICY || code === CLOSE_PROTOCOL) {
      this.stop({ code: 1, message: `The scheduler refused this worker: ${reason || code}` });
      return;
    }
    if (wasConnected) {
      this.lostSince = Date.now();
      this.log(`lost the scheduler at ${this.opts.address} (${code}); reconnecting`);
    }
    const limit = this.opts.reconnectForMs ?? RECONNECT_FOR_MS;
    if (Date.now() - this.lostSince > limit) {
      this.stop({
        code: 1,
        message:
          `Could not reach the scheduler at ${this.opts.address} for ${Math.round(limit / 1000)} s; ` +
          'exiting. Start it with `dusk-scheduler`, check the address and the firewall.',
      });
      return;
    }
    setTimeout(() => this.stopping || this.connect(), RECONNECT_EVERY_MS);
  }

  private stopThreads(): void {
    const old = this.threads;
    this.threads = [];
    for (const t of old) void t?.terminate();
  }

  private stop(exit: WorkerExit): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopThreads();
    this.ws?.close();
    this.finish(exit);
  }
}
