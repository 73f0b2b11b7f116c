/**
 * One client connection on the scheduler server: admits each compute's graph (checked
 * nodes; source only from a trusted client), runs it on the cluster pool, streams
 * progress in batches and sends the outputs still encoded. A client that goes away
 * cancels its computes and drops what it persisted: held data belongs to the connection
 * that persisted it (its markers name that connection, and die with it).
 */
import type { WebSocket } from 'ws';
import type { Progress } from '../scheduler.js';
import { admitGraph } from './admission.js';
import type { ClusterPool } from './cluster-pool.js';
import { type ClientToServer, checkClientMessage } from './messages.js';
import { sendMessage } from './socket-util.js';
import { DEFAULT_LIMITS } from './wire.js';
import { toWireError } from './wire-error.js';

type ComputeMsg = Extract<ClientToServer, { t: 'compute' }>;

export class ClientSession {
  private readonly computes = new Map<number, AbortController>();
  /** Persisted keys this client refers to, with how many of its collections do. */
  private readonly held = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly peer: string,
    private readonly trusted: boolean,
    private readonly address: string,
    private readonly pool: ClusterPool,
  ) {}

  /** A frame's message; throws DistributedProtocolError for a malformed one. */
  onMessage(raw: unknown): void {
    const m = checkClientMessage(raw, `client ${this.peer}`);
    if (m.t === 'cancel') this.computes.get(m.id)?.abort('cancelled by the client');
    else if (m.t === 'drop') this.drop(m.keys);
    else if (m.t === 'fetch') this.fetch(m.id, m.keys);
    else this.start(m);
  }

  /** The connection closed: its computes stop. */
  onClose(): void {
    this.closed = true;
    for (const ac of this.computes.values()) ac.abort('the client disconnected');
    this.computes.clear();
    for (const [k, n] of this.held) for (let i = 0; i < n; i++) this.pool.held.drop([k]);
    this.held.clear();
  }

  // Only keys this client persisted, as often as it did: a client cannot drop another's.
  private drop(keys: readonly string[]): void {
    for (const k of keys) {
      const n = this.held.get(k) ?? 0;
      if (n === 0) continue;
      if (n === 1) this.held.delete(k);
      else this.held.set(k, n - 1);
      this.pool.held.drop([k]);
    }
  }

  private fetch(id: number, keys: string[]): void {
    this.pool.held.fetchRaw(keys).then(
      (values) => this.result(id, values),
      (e) => this.reply(id, e),
    );
  }

  private start(m: ComputeMsg): void {
    if (this.computes.has(m.id)) {
      this.reply(m.id, new Error(`Compute id ${m.id} is already running on this connection.`));
      return;
    }
    const ac = new AbortController();
    this.computes.set(m.id, ac);
    const progress = this.progressBatcher(m.id);
    let work: Promise<unknown[]>;
    try {
      const graph = admitGraph(m.graph, this.trusted, this.address);
      work = this.pool.run({
        graph,
        keys: m.keys,
        workers: m.workers,
        encoded: m.enc,
        persist: m.persist,
        signal: ac.signal,
        onProgress: m.progress ? progress.push : undefined,
      });
    } catch (e) {
      work = Promise.reject(e);
    }
    work.then(
      (values) => {
        this.computes.delete(m.id);
        progress.flush();
        if (m.persist && this.closed) this.pool.held.drop(m.keys);
        else if (m.persist) for (const k of m.keys) this.held.set(k, (this.held.get(k) ?? 0) + 1);
        this.result(m.id, values);
      },
      (e) => {
        this.computes.delete(m.id);
        this.reply(m.id, e);
      },
    );
  }

  /** The result, or, when it is longer than the wire carries, the error that says so. */
  private result(id: number, values: unknown[]): void {
    try {
      sendMessage(this.ws, { t: 'result', id, values }, DEFAULT_LIMITS, 'the client');
    } catch (e) {
      this.reply(id, e);
    }
  }

  private reply(id: number, e: unknown): void {
    sendMessage(this.ws, { t: 'error', id, error: toWireError(e) });
  }

  // Progress goes out in batches, one frame per turn of the event loop, not one per task;
  // the last batch goes before the result.
  private progressBatcher(id: number): { push: (p: Progress) => void; flush: () => void } {
    let items: Progress[] = [];
    const flush = () => {
      if (items.length === 0) return;
      sendMessage(this.ws, { t: 'progress', id, items });
      items = [];
    };
    return {
      push: (p) => {
        if (items.length === 0) setImmediate(flush);
        items.push(p);
      },
      flush,
    };
  }
}
