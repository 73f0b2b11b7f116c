/**
 * One worker connection on the scheduler server: its threads become WorkerHandles of the
 * cluster pool; their messages are routed to the computes; a thread that dies, or the
 * whole connection closing, is a crash for the computes that used it.
 */
import type { WebSocket } from 'ws';
import type { ToWorker } from '../local/protocol.js';
import type { WorkerHandle } from '../local/transport.js';
import type { ClusterPool } from './cluster-pool.js';
import { checkWorkerMessage } from './messages.js';
import { sendMessage } from './socket-util.js';

/** A thread of a remote worker, as the pool sees it. */
function remoteThread(ws: WebSocket, th: number, id: string): WorkerHandle {
  return {
    id,
    post: (msg: ToWorker) => sendMessage(ws, { t: 'msg', th, msg }),
    // The remote process lives on its own; nothing to keep alive or stop from here.
    ref: () => {},
    unref: () => {},
    terminate: async () => {},
  };
}

export class WorkerSession {
  private readonly threads: WorkerHandle[] = [];
  private readonly starts: number[] = [];

  constructor(
    private readonly ws: WebSocket,
    readonly name: string,
    private readonly nthreads: number,
    private readonly pool: ClusterPool,
  ) {
    for (let th = 0; th < nthreads; th++) {
      this.starts.push(1);
      this.threads.push(remoteThread(ws, th, `${name}/${th}`));
    }
    for (const t of this.threads) pool.join(t);
  }

  /** A frame's message; throws DistributedProtocolError for a malformed one. */
  onMessage(raw: unknown): void {
    const m = checkWorkerMessage(raw, `worker '${this.name}'`, this.nthreads);
    const thread = this.threads[m.th]!;
    if (m.t === 'msg') this.pool.route(thread, m.msg);
    else if (m.t === 'exit') this.pool.leave(thread, m.reason);
    else {
      const n = ++this.starts[m.th]!;
      const next = remoteThread(this.ws, m.th, `${this.name}/${m.th}#${n}`);
      this.threads[m.th] = next;
      this.pool.join(next);
    }
  }

  /** The connection closed: every thread of this worker is gone. */
  onClose(reason: string): void {
    for (const t of this.threads) this.pool.leave(t, reason);
  }
}
