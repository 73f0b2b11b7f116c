/**
 * One client connection on the scheduler server: admits each compute's graph (checked
 * nodes; source only from a trusted client), runs it on the cluster pool, streams
 * progress in batches and sends the outputs still encoded. A client that goes away
 * cancels its computes.
 */
import type { WebSocket } from 'ws';
import type { Progress } from '../scheduler.js';
import { admitGraph } from './admission.js';
import type { ClusterPool } from './cluster-pool.js';
import { type ClientToServer, checkClientMessage } from './messages.js';
import { sendMessage } from './socket-util.js';
import { toWireError } from './wire-error.js';

type ComputeMsg = Extract<ClientToServer, { t: 'compute' }>;

export class ClientSession {
  private readonly computes = new Map<number, AbortController>();

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
    else this.start(m);
  }

  /** The connection closed: its computes stop. */
  onClose(): void {
    for (const ac of this.computes.values()) ac.abort('the client disconnected');
    this.computes.clear();
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
        sendMessage(this.ws, { t: 'result', id: m.id, values });
      },
      (e) => {
        this.computes.delete(m.id);
        this.reply(m.id, e);
      },
    );
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
