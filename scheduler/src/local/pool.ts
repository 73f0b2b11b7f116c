/**
 * A pool of local workers (threads or child processes), started on first use and reused
 * by every later compute. Workers keep the Node process alive only while a compute runs,
 * so a script ends by itself when its work is done. A worker that dies unasked is
 * replaced at once and the computes that used it are told. A persist leaves its outputs
 * on the workers that made them (see held-data.ts); what a dead worker held is lost.
 */
import { availableParallelism } from 'node:os';
import { decodeValue, type Graph, type HeldMarker, type Key, WorkerError } from '@dusk/core';
import { registerHeldOwner, unregisterHeldOwner } from '../held-owners.js';
import type { RunOptions } from '../scheduler.js';
import { callerMayRun, startCallerSlot } from './caller-slot.js';
import { ComputeRun, type KeptOutput, type PoolLink, type RunShellOptions } from './compute-run.js';
import { HeldData } from './held-data.js';
import { KeptLiterals } from './literal-cache.js';
import { type FromWorker, HELD_RUN, runId, type ToWorker } from './protocol.js';
import { learnedDurations } from './state.js';
import type { Spawn, WorkerHandle } from './transport.js';

/** Crashes a task may be caught in before its compute fails (Dask: allowed-failures = 3). */
export const DEFAULT_RETRY_LIMIT = 3;

// Group durations a pool remembers between computes; past this, the oldest go.
const MAX_LEARNED_GROUPS = 1000;

interface Slot {
  /** Undefined after a death while no compute used the slot: restarted when next needed. */
  handle?: WorkerHandle;
  restarts: number;
  /** The literals this slot's worker keeps (pools whose workers share memory). */
  literals?: KeptLiterals;
}

// Numbers pools, so markers of a closed pool never name its successor.
let poolSerial = 0;

/** The slot number of the caller's thread (caller-slot.ts), beside the workers' 0, 1, ... */
const CALLER = -1;

/** A compute and the pool slots of its workers: its worker `w` is slot `members[w]`. */
interface Entry {
  run: ComputeRun;
  members: number[];
}

/** How a kind of worker moves work and data (see the threads and processes schedulers). */
export interface PoolOptions {
  /** Milliseconds to move a megabyte between two workers (0: shared memory). */
  transferMsPerMB?: number;
  /** Workers share memory: tasks they have not started can be taken back (threads). */
  stealFlight?: boolean;
  /** Milliseconds of estimated work in flight per worker (default: placement.ts). */
  inflightMs?: number;
  /** Workers keep literals on shared memory between computes (literal-cache.ts). */
  keepLiterals?: boolean;
  /**
   * The caller's thread is one of a compute's workers when the compute runs only Dusk's own
   * kernels (threads; caller-slot.ts).
   */
  callerWorks?: boolean;
  /**
   * The caller's slot's view of the workers' messages (threads: thread-transport.ts):
   * `await` spins up to `ms` for the next one instead of sleeping (the slot does, having
   * run dry while a compute runs); `pending` says one was posted and not yet taken (the
   * slot yields to the event loop for it between tasks).
   */
  workerMessages?: { await(ms: number): void; pending(): boolean };
}

/**
 * How long the caller's slot, run dry while a compute runs, spins for a worker's message
 * (doorbell.ts): about one partition of the notebooks' reductions, the wait for the report
 * of a worker's last one. It holds the event loop for that long, as one of its slices does.
 */
const CALLER_SPIN_MS = 1;

// Read once: the pool asks on every compute's start and end and whenever its slot idles.
const CORES = availableParallelism();

export class Pool {
  private readonly slots: Slot[] = [];
  private readonly runs = new Map<number, Entry>();
  /** The caller's slot, started when a compute first uses it. */
  private caller?: WorkerHandle;
  private nextRun = 0;
  /**
   * Mean task duration by task group, from earlier computes (Dask's task-prefix durations):
   * a compute starts sending a group's tasks in full windows at once, where an untimed
   * group goes two per worker until one returns. Only pools that can take back tasks sent
   * (threads) use it, since an estimate carried over can be wrong for new data.
   */
  private readonly durations = new Map<string, number>();
  /** Persisted outputs kept on the workers, by slot. */
  readonly held: HeldData<number>;
  private heldFetches = false;
  /**
   * Bytes relayed between workers since the pool started: on ordinary buffers (copied once
   * between threads, sent as bytes between processes) and on shared memory (not copied).
   */
  readonly stats = {
    relayedPlainBytes: 0,
    relayedSharedBytes: 0,
    /** Messages posted to workers since the pool started, by message type. */
    posted: {} as Record<string, number>,
    /** Bytes of buffers inside tasks posted to workers (literal partitions travel so). */
    taskBytes: 0,
    /** Tasks taken back from a worker that had not started them, for an idle one. */
    revoked: 0,
    /** Tasks a revoke found already started (they stayed). */
    revokeMissed: 0,
    /**
     * Results handed to a worker or to the caller from the copies sent back with their
     * reports, without asking the worker holding them.
     */
    fromCopies: 0,
  };
  private closed = false;

  constructor(
    /** 'thread' or 'process': the prefix of worker ids. */
    readonly kind: string,
    private readonly spawn: Spawn,
    private readonly options: PoolOptions = {},
  ) {
    const owner = `${kind}-pool#${++poolSerial}`;
    this.held = new HeldData(owner, `the ${kind} pool`, {
      post: (w, msg) => this.postTo(w, msg),
      waiting: (busy) => {
        this.heldFetches = busy;
        this.keepAlive();
      },
    });
    registerHeldOwner(owner, {
      fetch: async (keys) => (await decodeValue(await this.held.fetchRaw(keys))) as unknown[],
      drop: (keys) => this.held.drop(keys),
    });
  }

  /**
   * A compute on `workers` workers is about to start here (its graph is being built): wakes
   * the worker threads it will use, to spin for their first tasks (doorbell.ts). Only when
   * no compute runs: otherwise they are awake or will be sent work anyway.
   */
  wake(workers: number): void {
    if (this.closed || this.runs.size > 0 || !this.spins()) return;
    const threads = this.options.callerWorks ? workers - 1 : workers;
    for (let w = 0; w < Math.min(threads, this.slots.length); w++) this.slots[w]!.handle?.wake?.();
  }

  /**
   * Whether this pool's threads spin for messages (doorbell.ts): only while there are no more
   * of them than cores. With more, a spinning thread would take a core from a working one.
   */
  private spins(): boolean {
    return this.slots.length + (this.caller ? 1 : 0) <= CORES;
  }

  /** Workers started so far. */
  get size(): number {
    return this.slots.length;
  }

  /** Ids of the workers, by slot. */
  workerIds(): string[] {
    return this.slots.map((s, w) => s.handle?.id ?? `${this.kind}-${w} (stopped)`);
  }

  /**
   * Runs a graph on the first `workers` workers (starting any that are missing).
   * @example await pool.run(graph, ['sum-1'], {}, 2)
   */
  run(
    graph: Graph,
    keys: readonly Key[],
    opts: RunOptions & { retryLimit?: number },
    workers: number,
  ): Promise<unknown[]> {
    return this.start_(graph, keys, opts, workers, false);
  }

  /**
   * Runs a graph and leaves the outputs on the workers that made them; resolves with a
   * marker per key, which later computes on this pool read in place.
   * @example const [m] = await pool.persist(graph, ['x-1'], {}, 2)
   */
  async persist(
    graph: Graph,
    keys: readonly Key[],
    opts: RunOptions & { retryLimit?: number },
    workers: number,
  ): Promise<HeldMarker[]> {
    const kept = (await this.held.keeping(
      this.start_(graph, keys, opts, workers, true),
    )) as KeptOutput[];
    return this.held.record(
      keys,
      kept.map((k) => ({ holder: k.worker, nbytes: k.nbytes })),
    );
  }

  private start_(
    graph: Graph,
    keys: readonly Key[],
    opts: RunOptions & { retryLimit?: number },
    workers: number,
    keep: boolean,
  ): Promise<unknown[]> {
    try {
      if (this.closed) throw new Error(`The ${this.kind} pool is closed.`);
      const inCaller = this.options.callerWorks === true && !keep && callerMayRun(graph);
      const members = inCaller ? [CALLER] : [];
      for (let w = 0; members.length < workers; w++) members.push(w);
      const holders = [...this.held.inputs(graph)];
      // Held data is read where it is: the compute uses every slot that holds some.
      for (const [, h] of holders) if (!members.includes(h.holder)) members.push(h.holder);
      const held = new Map<Key, { worker: number; nbytes: number }>();
      for (const [k, h] of holders)
        held.set(k, { worker: members.indexOf(h.holder), nbytes: h.nbytes });
      this.ensure(members);
      const shell: RunShellOptions = {
        retryLimit: opts.retryLimit ?? DEFAULT_RETRY_LIMIT,
        pickFirstWorker: () => this.leastBusy(members),
        held,
        keep,
        smallResultsBack: true,
        ...this.options,
        ...(this.options.stealFlight ? { priorMs: this.durations } : {}),
      };
      const link = this.linkFor(members);
      const run = new ComputeRun(this.nextRun++, graph, keys, members.length, link, {
        ...opts,
        ...shell,
      });
      this.runs.set(run.id, { run, members });
      this.keepAlive();
      void run.start();
      return run.promise;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Bytes of persisted data each worker holds, by slot. */
  heldBytes(): number[] {
    const by = this.held.bytesByHolder();
    return this.slots.map((_, w) => by.get(w) ?? 0);
  }

  // Workers keep the process alive only while a compute or a fetch of held data waits.
  private keepAlive(): void {
    const busy = this.runs.size > 0 || this.heldFetches;
    const spin = busy && this.spins();
    for (const s of this.slots) {
      if (busy) s.handle?.ref();
      else s.handle?.unref();
      s.handle?.active?.(spin);
    }
  }

  /** Which of `members` (by index) has the fewest tasks queued or running for other computes. */
  private leastBusy(members: readonly number[]): number {
    const load = new Map<number, number>();
    for (const { run, members: ms } of this.runs.values()) {
      run.state.workers.forEach((ws, w) => {
        const slot = ms[w]!;
        load.set(slot, (load.get(slot) ?? 0) + ws.deque.size + ws.inflight.size);
      });
    }
    const loads = members.map((slot) => load.get(slot) ?? 0);
    return loads.indexOf(Math.min(...loads));
  }

  /** Stops every worker; computes still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.held.clear(`the ${this.kind} pool was closed`);
    unregisterHeldOwner(this.held.owner);
    const handles = this.slots.flatMap((s) => (s.handle ? [s.handle] : []));
    for (const s of this.slots) s.literals?.close();
    this.slots.length = 0;
    for (const { run, members } of [...this.runs.values()]) {
      // The caller's slot is not terminated with the threads: it drops the compute's tasks.
      if (members.includes(CALLER))
        this.caller?.post({ t: 'cancel', run: runId(run.id, run.state.epoch) });
      run.halt(new WorkerError(`The ${this.kind} pool was closed while this compute ran.`));
    }
    this.caller = undefined;
    await Promise.all(handles.map((h) => h.terminate()));
  }

  /** Posts to a slot: a worker's, or the caller's. */
  private postTo(slot: number, msg: ToWorker, transfer?: ArrayBuffer[]): void {
    this.stats.posted[msg.t] = (this.stats.posted[msg.t] ?? 0) + 1;
    const handle = slot === CALLER ? this.caller : this.slots[slot]?.handle;
    handle?.post(msg, transfer);
  }

  /** What a compute whose workers are `members` needs from the pool. */
  private linkFor(members: readonly number[]): PoolLink {
    return {
      post: (w, msg, transfer) => this.postTo(members[w]!, msg, transfer),
      inThread: (w) => members[w] === CALLER,
      sentTasks: (bytes: number) => {
        this.stats.taskBytes += bytes;
      },
      revoked: (taken: number, kept: number) => {
        this.stats.revoked += taken;
        this.stats.revokeMissed += kept;
      },
      fromCopies: (n) => {
        this.stats.fromCopies += n;
      },
      relayed: (plain: number, shared: number) => {
        this.stats.relayedPlainBytes += plain;
        this.stats.relayedSharedBytes += shared;
      },
      workerId: (w: number) => {
        const slot = members[w]!;
        if (slot === CALLER) return this.callerId();
        return this.slots[slot]?.handle?.id ?? `${this.kind}-${slot}`;
      },
      literals: (w: number) => this.slots[members[w]!]?.literals,
      finished: (run: ComputeRun) => {
        this.runs.delete(run.id);
        this.keepAlive();
        if (this.options.stealFlight) this.learn(run);
      },
    };
  }

  private callerId(): string {
    return `${this.kind}-main`;
  }

  private learn(run: ComputeRun): void {
    for (const [group, ms] of learnedDurations(run.state)) {
      this.durations.delete(group); // re-inserted last: the map's order is its age
      this.durations.set(group, ms);
    }
    for (const group of this.durations.keys()) {
      if (this.durations.size <= MAX_LEARNED_GROUPS) break;
      this.durations.delete(group);
    }
  }

  /** Starts the slots in `members` that are not running. */
  private ensure(members: readonly number[]): void {
    if (members.includes(CALLER) && !this.caller) {
      // A task's error there is the task's, reported like any other; only a failure of the
      // runtime itself ends the slot (callerFailed).
      const messages = this.options.workerMessages;
      const caller = startCallerSlot(
        this.callerId(),
        {
          message: (msg: FromWorker) => this.route(CALLER, msg),
          exit: (reason: string) => this.callerFailed(caller, reason),
        },
        messages && {
          idle: () => this.runs.size > 0 && this.spins() && messages.await(CALLER_SPIN_MS),
          messagePending: messages.pending,
        },
      );
      this.caller = caller;
    }
    const n = Math.max(0, ...members) + 1;
    while (this.slots.length < n) {
      const w = this.slots.length;
      this.slots.push({ restarts: 0 });
      this.setHandle(w, this.start(w, `${this.kind}-${w}`));
    }
    for (const w of members) {
      const slot = this.slots[w];
      if (slot && !slot.handle) this.setHandle(w, this.start(w, this.restartId(w)));
    }
  }

  /** A new worker in slot `w` (or none): it keeps no literal yet. */
  private setHandle(w: number, handle: WorkerHandle | undefined): void {
    const slot = this.slots[w]!;
    slot.literals?.close();
    slot.handle = handle;
    slot.literals =
      handle && this.options.keepLiterals
        ? new KeptLiterals((ids, all) => {
            if (this.slots[w]?.handle === handle)
              this.postTo(w, { t: 'uncache', run: HELD_RUN, ids, ...(all ? { all } : {}) });
          })
        : undefined;
  }

  private restartId(w: number): string {
    const slot = this.slots[w]!;
    slot.restarts++;
    return `${this.kind}-${w}#${slot.restarts + 1}`;
  }

  private start(w: number, id: string): WorkerHandle {
    let handle: WorkerHandle | undefined;
    handle = this.spawn(id, {
      // A dead worker's late messages are not its replacement's.
      message: (msg: FromWorker) => {
        if (this.slots[w]?.handle === handle) this.route(w, msg);
      },
      exit: (reason: string) => {
        if (this.slots[w]?.handle === handle) this.replace(w, reason);
      },
    });
    if (this.runs.size === 0 && !this.heldFetches) handle.unref();
    return handle;
  }

  private route(slot: number, msg: FromWorker): void {
    if (msg.run === HELD_RUN) {
      if (msg.t === 'data') this.held.onReply(msg);
      return;
    }
    const dot = msg.run.indexOf('.');
    const entry = this.runs.get(Number(msg.run.slice(0, dot)));
    const w = entry?.members.indexOf(slot) ?? -1;
    if (w >= 0) entry!.run.onMessage(w, msg);
  }

  /**
   * The caller's slot failed (a bug in the runtime, not a task): the computes using it fail
   * with the reason (their tasks there cannot be rerun on a slot that may be in any state),
   * and the next compute that may use the caller's thread starts a fresh slot.
   */
  private callerFailed(caller: WorkerHandle, reason: string): void {
    if (this.caller !== caller) return;
    this.caller = undefined;
    for (const { run, members } of [...this.runs.values()]) {
      if (!members.includes(CALLER)) continue;
      const id = runId(run.id, run.state.epoch);
      for (const slot of members) if (slot !== CALLER) this.postTo(slot, { t: 'cancel', run: id });
      run.halt(new WorkerError(`The ${this.kind} pool's slot in the calling thread ${reason}.`));
    }
  }

  // Replaced at once only for computes that use the slot; an idle slot restarts when next
  // needed, so a worker that cannot even start does not respawn in a loop.
  private replace(w: number, reason: string): void {
    if (this.closed) return;
    const slot = this.slots[w]!;
    this.held.holderGone(w, `${slot.handle?.id ?? `${this.kind}-${w}`} ${reason}`);
    const affected = [...this.runs.values()].filter((e) => e.members.includes(w));
    if (affected.length === 0) {
      this.setHandle(w, undefined);
      return;
    }
    const handle = this.start(w, this.restartId(w));
    this.setHandle(w, handle);
    for (const { run, members } of affected) run.workerDied(members.indexOf(w), reason, handle.id);
  }
}
