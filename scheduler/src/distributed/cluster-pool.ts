/**
 * The scheduler server's pool: "a local pool whose workers are sockets". Each connected
 * worker thread is a WorkerHandle; each compute is the local pools' ComputeRun (the same
 * pure state machine: placement near data, per-worker deques, stealing, crash recovery)
 * over the threads it took when it started. A thread that leaves is a crash for the
 * computes using it: its slot passes to another thread, or waits for one to join. A
 * persist leaves its outputs on the threads that made them (registry: key -> thread);
 * computes reading them take those threads among their slots.
 */
import type { Graph, Key } from '@dusk/core';
import { ComputeRun, type KeptOutput, type PoolLink } from '../local/compute-run.js';
import { HeldData } from '../local/held-data.js';
import { type FromWorker, HELD_RUN, type ToWorker } from '../local/protocol.js';
import type { WorkerHandle } from '../local/transport.js';
import type { RunOptions } from '../scheduler.js';
import { NoWorkersError } from './errors.js';
import { parseWireRun, pickReplacement, pickSlots, wireRun } from './slots.js';

// A value moving between two worker threads of a cluster is encoded, relayed through the
// server over two sockets and decoded: slower per megabyte than between local processes.
const CLUSTER_TRANSFER_MS_PER_MB = 8;

export interface ClusterPoolOptions {
  /** How long a compute waits for a first worker, or a slot for a thread to take it over. */
  workerWaitMs: number;
  /** Crashes a task may be caught in (Dask's allowed-failures). */
  retryLimit: number;
}

export interface ClusterCompute extends RunOptions {
  graph: Graph;
  keys: readonly Key[];
  workers?: number;
  /** The graph holds codec markers: workers must decode the tasks they get. */
  encoded: boolean;
  /** Persist: the outputs stay on the threads; resolves with their sizes in bytes. */
  persist?: boolean;
}

interface ClusterRun {
  compute: ComputeRun;
  slots: (WorkerHandle | undefined)[];
  encoded: boolean;
  /** Slots whose thread left with no other thread to take over: slot -> reason. */
  orphans: Map<number, string>;
  orphanTimer?: NodeJS.Timeout;
}

export class ClusterPool {
  private readonly live: WorkerHandle[] = [];
  private readonly runs = new Map<number, ClusterRun>();
  private readonly joinWaiters = new Set<() => void>();
  private nextRun = 0;
  /** Persisted outputs kept on worker threads. */
  readonly held = new HeldData<WorkerHandle>('cluster', 'the cluster', {
    post: (thread, msg) => thread.post(msg),
  });

  constructor(private readonly opts: ClusterPoolOptions) {}

  /** Bytes of persisted data each connected thread holds, by thread id. */
  heldBytes(): Map<string, number> {
    const by = this.held.bytesByHolder();
    return new Map(this.live.map((h) => [h.id, by.get(h) ?? 0]));
  }

  /** Ids of the connected worker threads. */
  threadIds(): string[] {
    return this.live.map((h) => h.id);
  }

  /** A worker thread joined: computes waiting for one get it. */
  join(thread: WorkerHandle): void {
    this.live.push(thread);
    for (const run of this.runs.values()) this.adoptOrphans(run, thread);
    for (const wake of [...this.joinWaiters]) wake();
  }

  /** A worker thread left (its socket closed, or it died): a crash for the computes using it. */
  leave(thread: WorkerHandle, reason: string): void {
    const at = this.live.indexOf(thread);
    if (at < 0) return;
    this.live.splice(at, 1);
    this.held.holderGone(thread, `${thread.id} ${reason}`);
    for (const run of [...this.runs.values()]) {
      run.slots.forEach((h, w) => {
        if (h === thread) this.replaceSlot(run, w, reason);
      });
    }
  }

  /** A message from a worker thread. */
  route(thread: WorkerHandle, msg: FromWorker): void {
    if (msg.run === HELD_RUN) {
      if (msg.t === 'data') this.held.onReply(msg);
      return;
    }
    const id = parseWireRun(msg.run);
    const run = id && this.runs.get(id.compute);
    if (!id || !run || run.slots[id.slot] !== thread) return;
    run.compute.onMessage(id.slot, { ...msg, run: id.run });
  }

  /** Runs a compute on the connected threads, waiting a while for a first one. */
  async run(c: ClusterCompute): Promise<unknown[]> {
    await this.waitForThreads();
    // Every marker a client sends is of this cluster: it replaced any other beforehand.
    const inputs = this.held.inputs(c.graph, true);
    const holders = [...new Set([...inputs.values()].map((h) => this.live.indexOf(h.holder)))];
    const loads = this.live.map((h) => this.load(h));
    const slots = pickSlots(loads, c.workers, holders).map((i) => this.live[i]!);
    const held = new Map<Key, { worker: number; nbytes: number }>();
    for (const [k, h] of inputs) held.set(k, { worker: slots.indexOf(h.holder), nbytes: h.nbytes });
    const entry: ClusterRun = { slots, encoded: c.encoded, orphans: new Map() } as ClusterRun;
    entry.compute = new ComputeRun(
      this.nextRun++,
      c.graph,
      c.keys,
      slots.length,
      this.link(entry),
      {
        signal: c.signal,
        onProgress: c.onProgress,
        retryLimit: this.opts.retryLimit,
        preload: false,
        decodeOutputs: false,
        pickFirstWorker: () => 0,
        held,
        transferMsPerMB: CLUSTER_TRANSFER_MS_PER_MB,
        keep: c.persist,
      },
    );
    this.runs.set(entry.compute.id, entry);
    void entry.compute.start();
    if (!c.persist) return entry.compute.promise;
    const kept = (await this.held.keeping(entry.compute.promise)) as KeptOutput[];
    const marks = this.held.record(
      c.keys,
      kept.map((k) => ({ holder: entry.slots[k.worker]!, nbytes: k.nbytes })),
    );
    return marks.map((m) => m.nbytes);
  }

  /** Fails every compute (the server is closing). */
  close(error: Error): void {
    this.held.clear('the scheduler was closed');
    for (const run of [...this.runs.values()]) run.compute.halt(error);
    for (const wake of [...this.joinWaiters]) wake();
  }

  private link(run: ClusterRun): PoolLink {
    return {
      post: (w: number, msg: ToWorker) => {
        const wire = { ...msg, run: wireRun(msg.run, w) } as ToWorker;
        // Nodes arrive encoded from the client and are passed on as they came.
        if (wire.t === 'run' && run.encoded) wire.enc = true;
        run.slots[w]?.post(wire);
      },
      workerId: (w: number) => run.slots[w]?.id ?? `slot-${w} (waiting for a worker)`,
      relayed: () => {},
      finished: () => {
        clearTimeout(run.orphanTimer);
        this.runs.delete(run.compute.id);
      },
    };
  }

  /** Tasks queued or running on `thread` for every compute. */
  private load(thread: WorkerHandle): number {
    let n = 0;
    for (const run of this.runs.values()) {
      run.slots.forEach((h, w) => {
        const ws = run.compute.state.workers[w];
        if (h === thread && ws) n += ws.deque.size + ws.inflight.size;
      });
    }
    return n;
  }

  private replaceSlot(run: ClusterRun, w: number, reason: string): void {
    const loads = this.live.map((h) => this.load(h));
    const used = new Set(run.slots.flatMap((h) => (h ? [this.live.indexOf(h)] : [])));
    const pick = pickReplacement(loads, used);
    if (pick === undefined) {
      run.slots[w] = undefined;
      run.orphans.set(w, reason);
      run.orphanTimer ??= setTimeout(() => this.giveUp(run), this.opts.workerWaitMs);
      return;
    }
    const next = this.live[pick]!;
    run.slots[w] = next;
    run.compute.workerDied(w, reason, next.id);
  }

  private adoptOrphans(run: ClusterRun, thread: WorkerHandle): void {
    if (run.orphans.size === 0) return;
    clearTimeout(run.orphanTimer);
    run.orphanTimer = undefined;
    for (const [w, reason] of [...run.orphans]) {
      run.orphans.delete(w);
      run.slots[w] = thread;
      run.compute.workerDied(w, reason, thread.id);
    }
  }

  // No thread came to take the slots over: the compute fails with every crash listed.
  private giveUp(run: ClusterRun): void {
    for (const [w, reason] of run.orphans) {
      run.compute.workerDied(
        w,
        `${reason}, and no worker joined within ${this.opts.workerWaitMs} ms`,
      );
    }
    run.orphans.clear();
  }

  private waitForThreads(): Promise<void> {
    if (this.live.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.joinWaiters.delete(wake);
        if (this.live.length > 0) resolve();
        else reject(new NoWorkersError('The scheduler is closing; no worker ran this compute.'));
      };
      const timer = setTimeout(() => {
        this.joinWaiters.delete(wake);
        reject(
          new NoWorkersError(
            `No worker joined the scheduler within ${this.opts.workerWaitMs} ms. Start workers ` +
              'with `dusk-worker ws://<scheduler-host>:<port>` on each machine (same token).',
          ),
        );
      }, this.opts.workerWaitMs);
      this.joinWaiters.add(wake);
    });
  }
}
