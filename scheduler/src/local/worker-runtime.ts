/**
 * What runs inside a pool worker (thread or child process), whatever carries its
 * messages: it keeps the results of each compute it took part in, runs the tasks it is
 * sent once their inputs are local (inputs fetched from other workers arrive as `put`),
 * reports finished tasks in batches, and serves values to the pool. Outputs of a persist
 * move into a held store that outlives the compute: every run reads through to it, and
 * only a `drop` (or the worker's end) removes from it.
 */
import {
  config,
  decodeValue,
  encodeValue,
  fnsResolved,
  lossyPart,
  mapPacked,
  type Node,
  nodeDependencies,
  preloadFns,
  runNode,
  SerializationError,
  toPlainError,
} from '@dusk/core';
import { type ClaimBoard, claim, isOpen } from './claim-board.js';
import { pushTo } from './multimap.js';
import type { FromWorker, ToWorker, WireTask } from './protocol.js';
import { sizeOf, transferables } from './sizes.js';
import { markPoolWorker } from './worker-flag.js';

// Report finished tasks at least this often while a long batch runs, so dependents
// elsewhere can start and progress moves; more often costs a message each way (at 5 ms, a
// 50-partition reduction posted ~13 reports and got ~12 refills per worker, each waking
// the pool thread on a core a worker needed).
const FLUSH_EVERY_MS = 20;
// Between those, a worker reports (asking for more) once the tasks it has queued would run
// out within this long at the pace of its last task: long enough for the refill's round
// trip, also when the pool thread waits a few ms for a core.
const LOW_WATER_MS = 4;
// A worker also reports as it starts the last task it has, so the pool can send more while
// that one runs, if the task before took this long (a message round trip): after
// microsecond tasks that report would only split the batch's report in two.
const LAST_TASK_REPORT_MS = 0.25;
// Give incoming messages (the next tasks, fetch requests, cancels) a turn this often. A
// message that waits for the whole queue to drain lands when the worker has run dry: at
// 20 ms, a worker running 2 ms partitions idled ~0.3 ms after every second task.
const SLICE_MS = 1;
// The caller's slot, told when another thread has posted it a message (`messagePending`),
// yields for that message after the task it is running, and otherwise this often, as the
// sync scheduler yields to the event loop: the messages it may be sent come from the other
// workers (the pool runs on its thread), and yielding every 1 ms cost a turn of the event
// loop every ~2 partitions of 0.5 ms.
const CALLER_SLICE_MS = 20;
// Results up to this size that the pool asked back travel with their report, so the pool
// can hand them on (or over) at once instead of asking this worker, which answers only
// between tasks: a combine waited ~2 ms for one partial while its holder ran a partition.
export const SMALL_RESULT_BYTES = 4096;

/** Refuses results that would lose their class on the way (see core's clone-check.ts). */
function checkClonable(keys: string[], values: unknown[]): void {
  for (let i = 0; i < values.length; i++) {
    const lossy = lossyPart(values[i]);
    if (!lossy) continue;
    const where = lossy.path === '(the result)' ? '' : ` at ${lossy.path}`;
    throw new SerializationError(
      `Task '${keys[i]}' returned a ${lossy.className} instance${where}, which would reach ` +
        'another thread or process as a plain object without its class. Return plain data ' +
        `(objects, arrays, typed arrays, Map, Set, Date), or register a codec for ${lossy.className} ` +
        '(registerCodec in @dusk/core).',
    );
  }
}

export type Post = (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

interface RunStore {
  readonly id: string;
  readonly values: Map<string, unknown>;
  readonly waitingOn: Map<string, Pending[]>;
  readonly get: (key: string) => unknown;
  /** Thread pools: where this worker claims each task before running it. */
  board?: ClaimBoard;
  done: number[];
  /** Tasks whose small results go back with their report, and those waiting to go. */
  readonly back: Set<number>;
  outbox: unknown[];
  outboxEncoded: boolean;
  over: boolean;
}

interface Pending {
  readonly run: RunStore;
  readonly index: number;
  readonly key: string;
  readonly node: Node;
  /** The ticket to claim on the run's board; undefined: the task is this worker's alone. */
  readonly ticket?: number;
  missing: number;
  forgotten?: boolean;
}

/**
 * Whether `p` runs here: false when the pool took it back for another worker before this
 * one started it (it left this worker's window; its inputs are released with the run's).
 */
function claimed(p: Pending): boolean {
  const board = p.run.board;
  return p.ticket === undefined || board === undefined || claim(board, p.index, p.ticket);
}

/** Whether queued task `p` may still run here (not ended, forgotten or taken back). */
function mayRun(p: Pending): boolean {
  if (p.run.over || p.forgotten) return false;
  const board = p.run.board;
  return p.ticket === undefined || board === undefined || isOpen(board, p.index, p.ticket);
}

/** How the runtime differs as the thread pool's slot in the calling thread (caller-slot.ts). */
export interface InCaller {
  /** A failure of the runtime itself (not of a task): this thread must not die of it. */
  onFatal(e: unknown): void;
  /** Whether another thread has posted this thread a message it has not taken yet. */
  messagePending?(): boolean;
  /**
   * Called when the queue has run dry and its report is posted, with a test of whether the
   * runtime is still idle (the caller's slot may then spin for a worker's message).
   */
  onIdle?(stillIdle: () => boolean): void;
}

/**
 * A worker's message handler. `transfer` says whether the transport can move
 * ArrayBuffers without copying (threads) or not (processes). `inCaller`: this runtime is
 * the thread pool's slot in the calling thread, whose messages are not cloned on the way.
 * @example const onMessage = createWorkerRuntime((m, t) => parentPort.postMessage(m, t), true);
 */
export function createWorkerRuntime(
  post: Post,
  transfer: boolean,
  inCaller?: InCaller,
): (msg: ToWorker) => void {
  if (!inCaller) {
    // Tasks that call compute() run it here, in this worker, not on another pool.
    config.set({ scheduler: 'sync' });
    markPoolWorker();
  }
  const runs = new Map<string, RunStore>();
  const held = new Map<string, unknown>();
  const isHere = (r: RunStore | undefined, k: string) => r?.values.has(k) || held.has(k);
  const lookup = (r: RunStore | undefined, k: string) =>
    r?.values.has(k) ? r.values.get(k) : held.get(k);
  let queue: Pending[] = [];
  let head = 0;
  let drainScheduled = false;
  let lastFlush = performance.now();
  let lastTaskMs = 0;
  /** A low-water report went out and no `run` has come since (see LOW_WATER_MS). */
  let askedForMore = false;
  let inbox: Promise<void> = Promise.resolve();
  /** Literals the pool sent with a number, kept between computes (literal-cache.ts). */
  const literals = new Map<number, unknown>();

  function store(id: string): RunStore {
    let r = runs.get(id);
    if (!r) {
      const values = new Map<string, unknown>();
      const get = (k: string) => (values.has(k) ? values.get(k) : held.get(k));
      r = {
        id,
        values,
        waitingOn: new Map(),
        get,
        done: [],
        back: new Set(),
        outbox: [],
        outboxEncoded: false,
        over: false,
      };
      runs.set(id, r);
    }
    return r;
  }

  function flush(): void {
    lastFlush = performance.now();
    for (const r of runs.values()) {
      if (r.done.length === 0) continue;
      if (r.outbox.length === 0) post({ t: 'done', run: r.id, items: r.done });
      else {
        post({ t: 'done', run: r.id, items: r.done, values: r.outbox, enc: r.outboxEncoded });
        r.outbox = [];
        r.outboxEncoded = false;
      }
      r.done = [];
    }
  }

  /**
   * Whether a task queued after the one starting may still run here. Tasks the pool took
   * back for another worker stay queued until their claim fails: counted as work, the
   * last task's report waited for the end of the queue (the end of an nlargest compute, its
   * last partition: ~1.5 ms in which the pool did not know its other inputs were done).
   */
  function moreQueued(): boolean {
    for (let i = head; i < queue.length; i++) if (mayRun(queue[i]!)) return true;
    return false;
  }

  /**
   * Queues a task that can run, in the shared order among its run's queued tasks (a task's
   * index is its priority): a reduction step sent behind a window of partitions, or made
   * ready by one of them, runs next instead of after them, as on the sync scheduler. At a
   * compute's end the steps left were those queued behind the last partitions, which the
   * other thread then waited for.
   */
  function queueReady(p: Pending): void {
    let i = queue.length;
    while (i > head && queue[i - 1]!.run === p.run && queue[i - 1]!.index > p.index) i--;
    if (i === queue.length) queue.push(p);
    else queue.splice(i, 0, p);
  }

  function fail(p: Pending, e: unknown): void {
    flush();
    p.run.over = true;
    post({ t: 'err', run: p.run.id, task: p.index, error: toPlainError(e, p.key) });
  }

  function complete(p: Pending, value: unknown, t0: number): void {
    if (p.run.over) return;
    p.run.values.set(p.key, value);
    lastTaskMs = performance.now() - t0;
    const bytes = sizeOf(value);
    p.run.done.push(p.index, bytes, lastTaskMs);
    if (bytes <= SMALL_RESULT_BYTES && p.run.back.has(p.index)) sendBack(p, value);
    const waiting = p.run.waitingOn.get(p.key);
    if (waiting) {
      p.run.waitingOn.delete(p.key);
      for (const w of waiting) if (--w.missing === 0) queueReady(w);
    }
  }

  /**
   * Puts a copy of a small result in the run's next report. A value that cannot travel
   * stays out: asked for the usual way, it fails there with the reason.
   */
  function sendBack(p: Pending, value: unknown): void {
    try {
      const { value: out, encoded } = encodeValue(value);
      if (lossyPart(out)) return;
      p.run.outbox.push(p.index, out);
      p.run.outboxEncoded ||= encoded;
    } catch {
      // Left to the usual way (see above).
    }
  }

  const stillIdle = () => !drainScheduled && head >= queue.length;
  const pending = inCaller?.messagePending;
  const sliceOver = pending
    ? (ms: number) => ms > CALLER_SLICE_MS || pending()
    : (ms: number) => ms > SLICE_MS;

  function scheduleDrain(): void {
    if (drainScheduled) return;
    drainScheduled = true;
    setImmediate(drain);
  }

  function runOne(p: Pending): void {
    const t0 = performance.now();
    let value: unknown;
    try {
      value = runNode(p.node, p.run.get);
    } catch (e) {
      fail(p, e);
      return;
    }
    if (value instanceof Promise) {
      flush();
      value.then(
        (v) => {
          complete(p, v, t0);
          flush();
          scheduleDrain();
        },
        (e) => fail(p, e),
      );
      return;
    }
    complete(p, value, t0);
  }

  function drain(): void {
    drainScheduled = false;
    const start = performance.now();
    while (head < queue.length) {
      const p = queue[head++]!;
      if (p.run.over || p.forgotten || !claimed(p)) continue;
      if (lastTaskMs >= LAST_TASK_REPORT_MS && !moreQueued()) flush(); // ask for more
      runOne(p);
      const now = performance.now();
      if (now - lastFlush > FLUSH_EVERY_MS) flush();
      else if (!askedForMore && (queue.length - head) * lastTaskMs < LOW_WATER_MS) {
        askedForMore = true; // once per refill: until the next run, reports wait
        flush();
      }
      if (sliceOver(now - start)) {
        scheduleDrain();
        break;
      }
    }
    if (head >= queue.length) {
      queue = [];
      head = 0;
      flush(); // about to idle: the pool must hear now to send more
      inCaller?.onIdle?.(stillIdle);
    }
    // Yielding with work left, reports wait for FLUSH_EVERY_MS: a post to an idle pool
    // thread costs the worker ~0.15 ms on these VMs, most of a small task's gap.
  }

  async function preload(r: RunStore, tasks: WireTask[], nodes: Node[]): Promise<WireTask[]> {
    try {
      await preloadFns(nodes);
      return tasks;
    } catch {
      // Find the task whose function cannot be loaded, so the error names its key.
      for (const t of tasks) {
        try {
          await preloadFns([t[2]]);
        } catch (e) {
          fail({ run: r, index: t[0], key: t[1], node: t[2], missing: 0 }, e);
          return [];
        }
      }
      return tasks;
    }
  }

  function release(run: string, keys: readonly string[]): void {
    const r = runs.get(run);
    if (r) for (const k of keys) r.values.delete(k);
  }

  async function onRun(msg: Extract<ToWorker, { t: 'run' }>): Promise<void> {
    askedForMore = false;
    // A worker starting work after an idle spell reports FLUSH_EVERY_MS from now, not at
    // once after its first task (that report woke the pool thread for nothing).
    if (head >= queue.length) lastFlush = performance.now();
    if (msg.release) release(msg.run, msg.release);
    const r = store(msg.run);
    if (msg.board) r.board = msg.board;
    if (msg.back) for (const i of msg.back) r.back.add(i);
    const tasks = msg.enc
      ? ((await decodeValue(msg.tasks, literals, msg.at)) as WireTask[])
      : msg.tasks;
    if (msg.uncache) for (const id of msg.uncache) literals.delete(id);
    // Functions resolved by earlier tasks need no wait (see core's `fnsResolved`).
    const nodes = mapPacked(tasks, (t) => t[2]);
    const ready = fnsResolved(nodes) ? tasks : await preload(r, tasks, nodes);
    for (const t of ready) {
      const p: Pending = { run: r, index: t[0], key: t[1], node: t[2], ticket: t[3], missing: 0 };
      for (const d of nodeDependencies(p.node)) {
        if (isHere(r, d)) continue;
        p.missing++;
        pushTo(r.waitingOn, d, p);
      }
      if (p.missing === 0) queueReady(p);
    }
    scheduleDrain();
  }

  async function onPut(msg: Extract<ToWorker, { t: 'put' }>): Promise<void> {
    const r = runs.get(msg.run);
    if (!r) return;
    const values = msg.enc ? ((await decodeValue(msg.values)) as unknown[]) : msg.values;
    for (let i = 0; i < msg.keys.length; i++) {
      const key = msg.keys[i]!;
      r.values.set(key, values[i]);
      const waiting = r.waitingOn.get(key);
      if (!waiting) continue;
      r.waitingOn.delete(key);
      for (const w of waiting) if (--w.missing === 0) queueReady(w);
    }
    scheduleDrain();
  }

  function onSend(msg: Extract<ToWorker, { t: 'send' | 'gather' }>): void {
    const r = runs.get(msg.run);
    try {
      const raw = msg.keys.map((k) => lookup(r, k));
      const { value, encoded } = encodeValue(raw);
      const last = msg.t === 'gather';
      // From the caller's slot, values for another worker are a copy of their own: the pool
      // hands their buffers on, which must not take them from this slot's results.
      checkClonable(msg.keys, value as unknown[]);
      const values = (inCaller && !last ? structuredClone(value) : value) as unknown[];
      if (last) runs.delete(msg.run);
      // Held values stay here: their buffers must not be moved away.
      const leaving = last && transfer ? values.filter((_, i) => !held.has(msg.keys[i]!)) : [];
      post(
        { t: 'data', run: msg.run, req: msg.req, values, enc: encoded },
        leaving.length > 0 ? transferables(leaving) : undefined,
      );
    } catch (e) {
      post({
        t: 'data',
        run: msg.run,
        req: msg.req,
        values: [],
        enc: false,
        error: toPlainError(e),
      });
    }
  }

  // Persist: the outputs stay here, in the held store, after the run is forgotten.
  function onKeep(msg: Extract<ToWorker, { t: 'keep' }>): void {
    const r = runs.get(msg.run);
    const missing = msg.keys.find((k) => !isHere(r, k));
    for (const k of msg.keys) if (r?.values.has(k)) held.set(k, r.values.get(k));
    runs.delete(msg.run);
    const error = missing === undefined ? undefined : { error: toPlainError(notHere(missing)) };
    post({ t: 'data', run: msg.run, req: msg.req, values: [], enc: false, ...error });
  }

  function handleMessage(msg: ToWorker): void | Promise<void> {
    switch (msg.t) {
      case 'run':
        return onRun(msg);
      case 'put':
        return onPut(msg);
      case 'send':
      case 'gather':
        return onSend(msg);
      case 'keep':
        return onKeep(msg);
      case 'drop':
        for (const k of msg.keys) held.delete(k);
        return;
      case 'release':
        return release(msg.run, msg.keys);
      case 'uncache':
        if (msg.all) literals.clear();
        for (const id of msg.ids) literals.delete(id);
        return;
      case 'forget': {
        const r = runs.get(msg.run);
        const keys = new Set(msg.keys);
        if (r)
          for (const list of r.waitingOn.values())
            for (const p of list) if (keys.has(p.key)) p.forgotten = true;
        return;
      }
      case 'cancel': {
        const r = runs.get(msg.run);
        if (r) r.over = true;
        runs.delete(msg.run);
        return;
      }
    }
  }

  // Messages are handled one after another (a `run` may wait for a module import), so a
  // `put` or `release` never overtakes the `run` sent before it.
  // A failure here is a bug in the worker, not in a task: crash the worker so the pool
  // replaces it and the compute retries or fails with the reason. The caller's thread is
  // not crashed: the pool hears of it and fails the computes that used this slot.
  const fatal = (e: unknown) => {
    if (inCaller) inCaller.onFatal(e);
    else
      setImmediate(() => {
        throw e;
      });
  };
  return (msg: ToWorker) => {
    inbox = inbox.then(() => handleMessage(msg)).catch(fatal);
  };
}

function notHere(key: string): Error {
  return new Error(
    `Output '${key}' of a persist is not on this worker; the compute must start over.`,
  );
}
