/**
 * One compute on a local pool: the thin shell around the state machine. It feeds worker
 * messages to `handle` as events and carries out the instructions: posts tasks, relays
 * fetched values from one worker to another (still encoded, so the pool never decodes a
 * value that is only passing through), reports progress, gathers the outputs (or, for a
 * persist, tells their workers to keep them).
 */
import {
  AbortError,
  decodeValue,
  dependencies,
  encodeValue,
  type Graph,
  type Key,
  mapPacked,
  type Node,
  order,
  type PlainError,
  preloadFns,
  SerializationError,
  TaskError,
} from '@dusk/core';
import { DistributedProtocolError } from '../distributed/errors.js';
import type { RunOptions } from '../scheduler.js';
import { arm, type ClaimBoard, createBoard, isOpen, revoke } from './claim-board.js';
import { HeldDataLostError, WorkerCrashError } from './errors.js';
import type { KeptLiterals } from './literal-cache.js';
import { handle } from './machine.js';
import { type FromWorker, runId, type ToWorker, type WireTask } from './protocol.js';
import { scanBuffers } from './sizes.js';
import {
  createState,
  type Event,
  type Failure,
  type HeldInput,
  type Instruction,
  type LocalState,
  NOT_HELD,
  RELEASED,
} from './state.js';
import { splitWaiting } from './steal-flight.js';

/** What a compute needs from its pool. */
export interface PoolLink {
  post(worker: number, msg: ToWorker, transfer?: ArrayBuffer[]): void;
  workerId(worker: number): string;
  /** Counts bytes relayed from one worker to another. */
  relayed(plainBytes: number, sharedBytes: number): void;
  /** Counts bytes of buffers inside tasks posted (optional). */
  sentTasks?(bytes: number): void;
  /** Counts tasks taken back from a worker, and those a revoke found started (optional). */
  revoked?(taken: number, kept: number): void;
  /** Counts results handed on from copies sent back with reports (optional). */
  fromCopies?(results: number): void;
  /** What the worker keeps of literals sent before (thread pools; literal-cache.ts). */
  literals?(worker: number): KeptLiterals | undefined;
  /**
   * Whether the worker runs in this thread (the caller's slot, caller-slot.ts): its tasks go
   * as they are, unencoded and uncopied.
   */
  inThread?(worker: number): boolean;
  /** Called once when the compute is over, whatever the outcome. */
  finished(run: ComputeRun): void;
}

type DataMsg = Extract<FromWorker, { t: 'data' }>;

/** How a compute's shell behaves; the defaults are the local pools'. */
export interface RunShellOptions {
  retryLimit: number;
  pickFirstWorker?: () => number;
  /**
   * Resolve every function here before sending work (default true). The distributed
   * server passes false: its client resolved them, and the server need not have the
   * user's modules.
   */
  preload?: boolean;
  /**
   * Decode the outputs here (default true). The distributed server passes false and hands
   * them to its client still encoded.
   */
  decodeOutputs?: boolean;
  /** Keys already held by a worker (persisted earlier): they start in memory there. */
  held?: ReadonlyMap<Key, HeldInput>;
  /**
   * Persist: the workers keep the outputs, and the compute resolves with where each one
   * is (`KeptOutput`) instead of its value.
   */
  keep?: boolean;
  /** Milliseconds to move a megabyte between workers, for stealing (see Tunables). */
  transferMsPerMB?: number;
  /**
   * Workers share memory with this thread (a thread pool): tasks sent carry a ticket on a
   * claim board, and tasks a worker has not started can be taken back (see Tunables).
   */
  stealFlight?: boolean;
  /** Milliseconds of estimated work in flight per worker (see Tunables). */
  inflightMs?: number;
  /** Group durations learned by earlier computes (see Tunables). */
  priorMs?: ReadonlyMap<string, number>;
  /**
   * Workers send small results back with their reports when they may be needed elsewhere
   * (worker-runtime.ts `back`): a fetch of them or the gather of the outputs then needs no
   * request to a worker that answers only between tasks. Local pools only.
   */
  smallResultsBack?: boolean;
}

/** Where a persisted output was kept. */
export interface KeptOutput {
  worker: number;
  nbytes: number;
}

// Releases of small results ride on the next `run` to the same worker instead of a message
// of their own: a post to an idle worker wakes it (~30 us on these machines) and a
// reduction releases after nearly every task. Past this many bytes a release goes out at
// once, so a large intermediate is never kept alive waiting for the next message.
const RELEASE_NOW_BYTES = 1 << 20;
// The most inputs a task may have for them to come back with their reports (backWanted):
// a tree reduction's steps take 8 by default (splitEvery).
const MAX_COMBINE_INPUTS = 32;

export class ComputeRun {
  readonly state: LocalState;
  readonly promise: Promise<unknown[]>;
  private readonly nodes: Node[];
  private readonly requested: readonly Key[];
  private readonly pending = new Map<number, (m: DataMsg) => void>();
  /** Small releases per worker slot, not yet posted (they ride on the next `run`). */
  private readonly heldReleases = new Map<number, { keys: string[]; bytes: number }>();
  private nextReq = 0;
  /** Thread pools: the claim board, and the ticket each task was last sent with. */
  private readonly board?: ClaimBoard;
  private readonly tickets?: Int32Array;
  /** Workers that have this attempt's board. */
  private readonly boardAt = new Set<number>();
  /** Tasks whose small results workers send back (1), by task index; see `backWanted`. */
  private readonly wantBack?: Uint8Array;
  /** Small results sent back, by task index, as they came, and whether they are encoded. */
  private readonly small = new Map<number, { value: unknown; enc: boolean }>();
  /** Fetches served from `small`, waiting for the end of the batch being applied. */
  private quickPuts: (() => void)[] = [];
  private resolve!: (v: unknown[]) => void;
  private reject!: (e: unknown) => void;
  private readonly onAbort = () =>
    this.dispatch({ type: 'abort', reason: this.opts.signal?.reason });

  constructor(
    readonly id: number,
    graph: Graph,
    keys: readonly Key[],
    readonly workers: number,
    private readonly link: PoolLink,
    private readonly opts: RunOptions & RunShellOptions,
  ) {
    const deps = dependencies(graph);
    const ordered = order(graph, keys, deps);
    const ids = Array.from({ length: workers }, (_, w) => link.workerId(w));
    this.state = createState(
      ordered,
      deps,
      keys,
      ids,
      {
        retryLimit: opts.retryLimit,
        progress: opts.onProgress !== undefined,
        transferMsPerMB: opts.transferMsPerMB,
        stealFlight: opts.stealFlight,
        inflightMs: opts.inflightMs,
        priorMs: opts.priorMs,
        callerSlot: opts.keep ? undefined : callerSlotOf(link, workers),
      },
      opts.held,
    );
    if (opts.stealFlight) {
      this.board = createBoard(ordered.length);
      this.tickets = new Int32Array(ordered.length);
    }
    if (opts.smallResultsBack && !opts.keep) this.wantBack = backWanted(this.state);
    this.nodes = mapPacked(ordered, (k) => graph.get(k)!);
    this.requested = keys;
    this.promise = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  /**
   * Starts the compute. Functions are resolved here first, as the sync scheduler does, so
   * a missing export or a lambda that does not compile fails the same way on every
   * scheduler, before any work is sent out.
   */
  async start(): Promise<void> {
    try {
      if (this.opts.signal?.aborted) throw new AbortError(this.opts.signal.reason);
      if (this.opts.preload !== false) await preloadFns(this.nodes);
      if (this.opts.signal?.aborted) throw new AbortError(this.opts.signal.reason);
    } catch (e) {
      this.end(e);
      return;
    }
    this.opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    // Chosen now, not when the compute was made: computes started together place their
    // roots one after another, each seeing where the others went.
    this.state.tunables.firstWorker = this.opts.pickFirstWorker?.();
    this.dispatch({ type: 'start' });
  }

  private get run(): string {
    return runId(this.id, this.state.epoch);
  }

  /** A message from worker slot `w` about this compute. */
  onMessage(w: number, msg: FromWorker): void {
    if (msg.t === 'data') {
      const cb = this.pending.get(msg.req);
      if (cb && msg.run === this.run) {
        this.pending.delete(msg.req);
        cb(msg);
      }
      return;
    }
    if (msg.run !== this.run) return;
    if (msg.t === 'done') {
      if (msg.values) this.keepSmall(msg.values, msg.enc === true);
      this.dispatch({ type: 'task-done', worker: w, items: msg.items });
    } else this.dispatch({ type: 'task-erred', worker: w, task: msg.task, error: msg.error });
  }

  /** Ends the compute with `error` (the pool is going away). */
  halt(error: Error): void {
    this.end(error);
  }

  /** Worker slot `w` died; `replacement` is the id of the worker started in its place. */
  workerDied(w: number, reason: string, replacement?: string): void {
    this.boardAt.delete(w);
    this.forgetCopies();
    this.dispatch({ type: 'worker-died', worker: w, reason, replacement });
  }

  private dispatch(event: Event): void {
    const epoch = this.state.epoch;
    let out: Instruction[];
    try {
      out = handle(this.state, event);
    } catch (e) {
      this.end(e);
      return;
    }
    if (this.state.epoch !== epoch) {
      this.pending.clear();
      this.heldReleases.clear();
      this.boardAt.clear();
      this.forgetCopies();
    }
    this.apply(out);
  }

  private apply(out: Instruction[]): void {
    const revokes: Extract<Instruction, { type: 'revoke' }>[] = [];
    for (const ins of out) {
      switch (ins.type) {
        case 'run':
          this.postTasks(ins.worker, ins.tasks);
          break;
        case 'fetch':
          this.fetch(ins.from, ins.to, ins.keys);
          break;
        case 'release':
          this.holdRelease(ins.worker, ins.keys);
          for (const k of ins.keys) {
            if (this.state.status[k] !== RELEASED) continue;
            this.small.delete(k);
            this.state.copied[k] = 0;
          }
          break;
        case 'revoke':
          revokes.push(ins);
          break;
        case 'forget': {
          const keys = ins.tasks.map((i) => this.state.keys[i]!);
          this.link.post(ins.worker, { t: 'forget', run: this.run, keys });
          break;
        }
        case 'cancel':
          for (const w of ins.workers)
            this.link.post(w, { t: 'cancel', run: runId(this.id, ins.epoch) });
          break;
        case 'progress':
          this.opts.onProgress?.({
            done: ins.done,
            total: this.state.keys.length,
            key: this.state.keys[ins.task],
            ms: ins.ms,
            inMemory: ins.inMemory,
            worker: this.link.workerId(ins.worker),
          });
          break;
        case 'gather':
          if (this.opts.keep) this.keep(ins.from);
          else this.gather(ins.from);
          break;
        case 'fail':
          this.end(toError(ins.failure, this.opts.retryLimit));
          break;
      }
    }
    for (const [w, held] of this.heldReleases) {
      if (held.bytes < RELEASE_NOW_BYTES) continue;
      this.heldReleases.delete(w);
      this.link.post(w, { t: 'release', run: this.run, keys: held.keys });
    }
    const puts = this.quickPuts;
    this.quickPuts = [];
    for (const put of puts) put();
    // After every `run` of this batch is posted, so each task asked for holds its ticket.
    for (const ins of revokes) this.dispatch(this.revoke(ins));
  }

  /**
   * Takes back from the front of the list the tasks the worker has not claimed yet that
   * even the two out (the claim board says which wait); the machine hears which at once.
   */
  private revoke(ins: Extract<Instruction, { type: 'revoke' }>): Event {
    const ticketOf = (i: number) => this.tickets?.[i] ?? 0;
    const waits = ins.tasks.map((i) => ticketOf(i) > 0 && isOpen(this.board!, i, ticketOf(i)));
    // The caller's slot runs on this thread, so while this runs it runs no task: a task it
    // claimed has ended (or awaits a promise) and its report is only not out yet, as when
    // the slot yields mid-queue for a worker's message. Counted as busy, its next partition
    // went to the idle worker, which then woke for it while the slot sat idle (~1.3 ms at the
    // end of 2 in 20 nlargest computes at 50M rows).
    const busy = !this.link.inThread?.(ins.worker) && (ins.busy || waits.includes(false));
    const take = splitWaiting(ins.ms, waits, busy);
    const tasks: number[] = [];
    const kept: number[] = [];
    const left: number[] = [];
    for (const [j, i] of ins.tasks.entries()) {
      if (!waits[j]) kept.push(i);
      else if (!take[j]) left.push(i);
      else if (revoke(this.board!, i, ticketOf(i))) tasks.push(i);
      else kept.push(i); // claimed between the look and the take
    }
    this.link.revoked?.(tasks.length, kept.length);
    return { type: 'revoked', worker: ins.worker, thief: ins.thief, tasks, kept, left };
  }

  private holdRelease(w: number, keys: readonly number[]): void {
    let held = this.heldReleases.get(w);
    if (!held) {
      held = { keys: [], bytes: 0 };
      this.heldReleases.set(w, held);
    }
    for (const k of keys) {
      held.keys.push(this.state.keys[k]!);
      held.bytes += this.state.nbytes[k]!;
    }
  }

  /** Releases held for worker `w`, handed to a message about to be posted to it. */
  private takeReleases(w: number): string[] | undefined {
    const held = this.heldReleases.get(w);
    this.heldReleases.delete(w);
    return held?.keys;
  }

  /** Keeps the small results of a report (flat: task index, value). */
  private keepSmall(values: unknown[], encoded: boolean): void {
    for (let j = 0; j < values.length; j += 2) {
      const i = values[j] as number;
      this.small.set(i, { value: values[j + 1], enc: encoded });
      this.state.copied[i] = 1;
    }
  }

  private forgetCopies(): void {
    this.small.clear();
    this.state.copied.fill(0);
  }

  /** The small results of `keys` sent back, or undefined when any of them was not. */
  private smallOf(keys: readonly number[]): { values: unknown[]; enc: boolean } | undefined {
    if (this.small.size === 0) return undefined;
    const values: unknown[] = [];
    let enc = false;
    for (const k of keys) {
      const copy = this.small.get(k);
      if (!copy) return undefined;
      values.push(copy.value);
      enc ||= copy.enc;
    }
    return { values, enc };
  }

  private postTasks(w: number, tasks: number[]): void {
    const wire: WireTask[] = mapPacked(tasks, (i) => [i, this.state.keys[i]!, this.nodes[i]!]);
    const want = this.wantBack;
    const back = want ? tasks.filter((i) => want[i] === 1) : [];
    const board = this.board && !this.boardAt.has(w) ? { board: this.board } : {};
    if (this.board) {
      this.boardAt.add(w);
      for (const t of wire) {
        const ticket = ++this.tickets![t[0]]!;
        arm(this.board, t[0], ticket);
        t.push(ticket);
      }
    }
    const release = this.takeReleases(w);
    const common = {
      t: 'run' as const,
      run: this.run,
      ...(release ? { release } : {}),
      ...(back.length > 0 ? { back } : {}),
      ...board,
    };
    if (this.link.inThread?.(w)) {
      this.link.post(w, { ...common, tasks: wire, enc: false });
      return;
    }
    const kept = this.link.literals?.(w);
    try {
      const { value, encoded, bytes, paths } = encodeValue(wire, kept);
      if (this.link.sentTasks) {
        // The encoder counted the buffers as it walked; without codecs it did not walk.
        const scan = bytes === undefined ? scanBuffers([value]) : undefined;
        this.link.sentTasks(scan ? scan.plainBytes + scan.sharedBytes : bytes!);
      }
      const uncache = kept?.takeEvicted();
      this.link.post(w, {
        ...common,
        tasks: value as WireTask[],
        enc: encoded,
        ...(encoded && paths ? { at: paths } : {}),
        ...(uncache ? { uncache } : {}),
      });
    } catch (e) {
      // Encoding records what the worker will keep; this message never reached it.
      kept?.reset();
      this.end(unsendable(wire, e));
    }
  }

  private request(
    w: number,
    t: 'send' | 'gather' | 'keep',
    keys: string[],
    cb: (m: DataMsg) => void,
  ) {
    const req = this.nextReq++;
    this.pending.set(req, (m) => (m.error ? this.end(dataError(m.error)) : cb(m)));
    this.link.post(w, { t, run: this.run, req, keys });
  }

  private fetch(from: number, to: number, keys: number[]): void {
    const names = mapPacked(keys, (k) => this.state.keys[k]!);
    const small = this.smallOf(keys);
    if (small) {
      // Copies kept here: the holder is not disturbed. Posted after this batch's `run`s,
      // so the receiver knows the run when the values come.
      this.quickPuts.push(() => {
        this.link.fromCopies?.(keys.length);
        this.link.post(to, { t: 'put', run: this.run, keys: names, ...small });
        this.dispatch({ type: 'transfer-done', worker: to, keys });
      });
      return;
    }
    this.request(from, 'send', names, (m) => {
      // The relay owns this copy of the values: hand their buffers on without copying again.
      const put: ToWorker = { t: 'put', run: this.run, keys: names, values: m.values, enc: m.enc };
      const scan = scanBuffers(m.values);
      this.link.relayed(scan.plainBytes, scan.sharedBytes);
      this.link.post(to, put, scan.transfer);
      this.dispatch({ type: 'transfer-done', worker: to, keys });
    });
  }

  /** Ends the compute with `values`, then cancels the run on workers not in `used`. */
  private handedOver(from: [number, number[]][], values: unknown[]): void {
    const used = new Set(from.map(([w]) => w));
    const run = this.run;
    this.end(undefined, values);
    // Workers that handed nothing over still hold this run's leftovers. Told after the
    // caller has its values: the posts cost more than the whole of a small compute.
    setImmediate(() => {
      for (let w = 0; w < this.workers; w++) {
        if (!used.has(w)) this.link.post(w, { t: 'cancel', run });
      }
    });
  }

  private keep(from: [number, number[]][]): void {
    let left = from.length;
    const kept = () =>
      this.requested.map((k): KeptOutput => {
        const i = this.state.index.get(k)!;
        return { worker: this.state.holders[i]![0]!, nbytes: this.state.nbytes[i]! };
      });
    if (left === 0) this.handedOver(from, kept());
    for (const [w, tasks] of from) {
      const names = tasks.map((i) => this.state.keys[i]!);
      this.request(w, 'keep', names, () => {
        if (--left === 0) this.handedOver(from, kept());
      });
    }
  }

  private gather(from: [number, number[]][]): void {
    const values = new Map<Key, unknown>();
    let left = from.length;
    const done = () =>
      this.handedOver(
        from,
        this.requested.map((k) => values.get(k)),
      );
    if (left === 0) {
      done();
      return;
    }
    // Every output sent back: in the order asked for, straight from the copies.
    const small = this.smallOf(mapPacked(this.requested, (k) => this.state.index.get(k)!));
    if (small) {
      this.link.fromCopies?.(this.state.outputs.length);
      this.gatherSmall(small.values, small.enc);
      return;
    }
    for (const [w, tasks] of from) {
      const names = tasks.map((i) => this.state.keys[i]!);
      this.request(w, 'gather', names, (m) => {
        const decode = m.enc && this.opts.decodeOutputs !== false;
        const got = decode ? decodeValue(m.values) : Promise.resolve(m.values);
        got.then(
          (vs) => {
            for (let j = 0; j < names.length; j++) values.set(names[j]!, (vs as unknown[])[j]);
            if (--left === 0) done();
          },
          (e) => this.end(e),
        );
      });
    }
  }

  /**
   * Ends the compute with the small copies of the outputs sent back (in `requested`
   * order): no worker is asked, and every worker is told to forget the run.
   */
  private gatherSmall(values: unknown[], enc: boolean): void {
    const got = enc ? decodeValue(values) : Promise.resolve(values);
    got.then(
      (vs) => this.handedOver([], vs as unknown[]),
      (e) => this.end(e),
    );
  }

  private ended = false;

  private end(error: unknown, values?: unknown[]): void {
    if (this.ended) return;
    this.ended = true;
    this.state.finished = true;
    this.pending.clear();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.link.finished(this);
    if (error === undefined) this.resolve(values!);
    else this.reject(error);
  }
}

/** The slot of `link` that runs in this thread, if any. */
function callerSlotOf(link: PoolLink, workers: number): number | undefined {
  for (let w = 0; w < workers; w++) if (link.inThread?.(w)) return w;
  return undefined;
}

/**
 * Tasks whose results may be wanted away from where they ran: the outputs, and results of
 * combine steps that feed another combine step (a tree reduction's upper levels, whose
 * inputs come from every worker). With a caller's slot, also every other input of a
 * combine step (a reduction's partials): with copies of them all, the step runs on the
 * caller's slot as soon as the report of its last input is in (placement.ts `place`),
 * where it went to the worker that held them, waited for its current partition and came
 * back in a report of its own (traced on mean over 50 partitions: two hops of 0.1-0.2 ms
 * at the end of each compute). Without one (process pools), runs of roots keep most first
 * steps on one worker (placeRoots), and a copy of every partial cost each cold compute
 * more than the fetches it saved. Never the inputs of a wide gather (10,000 tiny calls and
 * their sum): that is no combine step.
 */
function backWanted(state: LocalState): Uint8Array {
  const want = new Uint8Array(state.keys.length);
  const computed = (d: number) => state.heldAt[d] === NOT_HELD;
  const combines = (j: number) => {
    const n = state.deps[j]!.length;
    return n > 1 && n <= MAX_COMBINE_INPUTS;
  };
  const partials = state.tunables.callerSlot !== undefined;
  for (let i = 0; i < want.length; i++) {
    const upper = combines(i) && state.deps[i]!.some(computed);
    const feeds = state.dependents[i]!.some(combines);
    if (state.isOutput[i] || (feeds && (upper || partials))) want[i] = 1;
  }
  return want;
}

function toError(f: Failure, retryLimit: number): Error {
  if (f.kind === 'abort') return new AbortError(f.reason);
  if (f.kind === 'crash') return new WorkerCrashError(f.attempts, f.key, retryLimit);
  if (f.kind === 'held-lost') return new HeldDataLostError(f.key, `${f.worker} ${f.reason}`);
  const { name, message, stack, code } = f.error;
  const original = Object.assign(new Error(message), { name, stack, code });
  return new TaskError(f.key, { name, message, stack }, f.worker, { cause: original });
}

/** The error for a batch that cannot be posted: names the first task that cannot be. */
function unsendable(wire: WireTask[], e: unknown): Error {
  const bad = wire.find((t) => {
    try {
      structuredClone(t[2]);
      return false;
    } catch {
      return true;
    }
  });
  const what = bad ? `Task '${bad[1]}'` : 'A task';
  return new SerializationError(
    `${what} cannot be sent to a worker: ${(e as Error).message.split('\n')[0]}. Task arguments ` +
      'must be plain data (numbers, strings, arrays, plain objects, typed arrays) or values with ' +
      'a registered codec; pass functions as tasks (delayed(fn)), not as arguments.',
    { cause: e },
  );
}

function dataError(e: PlainError): Error {
  if (e.code === 'E_SERIALIZATION') return new SerializationError(e.message);
  // A cluster worker's value longer than the scheduler takes (distributed/worker.ts).
  if (e.code === 'E_PROTOCOL') return new DistributedProtocolError(e.message);
  return new SerializationError(
    `A result could not be sent from a worker: ${e.message}. Results must be plain data, ` +
      'typed arrays, or values with a registered codec (Arrow tables).',
  );
}
