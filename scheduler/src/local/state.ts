/**
 * The state of one compute on a local pool (threads or processes), and the events and
 * instructions the pure state machine in machine.ts trades in. Tasks are numbered by
 * their position in the shared ordering, so a task's index is also its priority; workers
 * are numbered by pool slot. Plain data, no I/O: tests drive it without threads. Tasks
 * whose value a worker already holds (persisted earlier) start in memory on that worker.
 */
import { filledPacked, type Key, mapPacked, type PlainError } from '@dusk/core';
import { PriorityDeque } from './priority-deque.js';

export const WAITING = 0;
export const QUEUED = 1;
export const PROCESSING = 2;
export const MEMORY = 3;
export const RELEASED = 4;

/** `heldAt` of a task that is not held data. */
export const NOT_HELD = -1;
/** `heldAt` of held data whose worker died during this compute. */
export const HELD_LOST = -2;

/** A task whose value is already held by a worker (a persisted partition). */
export interface HeldInput {
  /** The worker slot holding it. */
  worker: number;
  nbytes: number;
}

/** One worker crash as seen by one compute. */
export interface CrashAttempt {
  worker: string;
  reason: string;
  /** Keys that were running on the worker when it died (the suspects). */
  keys: Key[];
}

export type Event =
  | { type: 'start' }
  /** `items` is flat: task index, result bytes, milliseconds, for each finished task. */
  | { type: 'task-done'; worker: number; items: readonly number[] }
  | { type: 'task-erred'; worker: number; task: number; error: PlainError }
  /** Values of `keys` were handed to `worker` (fetched from another worker). */
  | { type: 'transfer-done'; worker: number; keys: readonly number[] }
  | { type: 'worker-died'; worker: number; reason: string; replacement?: string }
  /**
   * The outcome of a `revoke`: `tasks` were taken back from `worker` before it started them
   * (they are the thief's now); `kept` had started already and stay where they are; `left`
   * had not, and stay there too (taking them would not have evened the two out).
   */
  | {
      type: 'revoked';
      worker: number;
      thief: number;
      tasks: readonly number[];
      kept: readonly number[];
      left?: readonly number[];
    }
  | { type: 'abort'; reason?: unknown };

export type Failure =
  | { kind: 'task'; key: Key; worker: string; error: PlainError }
  | { kind: 'crash'; key?: Key; attempts: CrashAttempt[] }
  | { kind: 'abort'; reason?: unknown }
  /** Held data this compute needs was on a worker that died. */
  | { kind: 'held-lost'; key: Key; worker: string; reason: string };

export type Instruction =
  | { type: 'run'; worker: number; tasks: number[] }
  | { type: 'fetch'; from: number; to: number; keys: number[] }
  | { type: 'release'; worker: number; keys: number[] }
  /** Forget these tasks sent earlier: an input they wait for was lost with a worker. */
  | { type: 'forget'; worker: number; tasks: number[] }
  /**
   * Take back, for `thief`, tasks sent to `worker` that it has not started yet (threads:
   * shared memory says which, and a claim there settles each): from the front of the list,
   * as many as even out the two (`splitWaiting`, with each one's estimated `ms` and whether
   * `worker` is known to be running one); the shell answers at once with a `revoked` event.
   */
  | {
      type: 'revoke';
      worker: number;
      thief: number;
      tasks: number[];
      ms: number[];
      busy: boolean;
    }
  /** Drop everything of this compute's attempt `epoch` on these workers. */
  | { type: 'cancel'; workers: number[]; epoch: number }
  | { type: 'progress'; task: number; ms: number; worker: number; done: number; inMemory: number }
  /** Every output is in memory: fetch them, one list of task indices per worker. */
  | { type: 'gather'; from: [number, number[]][] }
  | { type: 'fail'; failure: Failure };

export interface WorkerState {
  id: string;
  deque: PriorityDeque;
  inflight: Set<number>;
  /** Estimated milliseconds of work in flight. */
  inflightMs: number;
  /** Keys on their way to this worker, and the worker each comes from. */
  incoming: Map<number, number>;
  /** The last tasks sent: blamed for a crash when nothing was in flight. */
  lastSent: number[];
}

export interface Tunables {
  /** Crashes a task may be involved in before the compute fails. */
  retryLimit: number;
  progress: boolean;
  /**
   * Worker that gets the first root task: the least busy one when other computes share
   * the pool, so concurrent small computes (futures) spread over the workers.
   */
  firstWorker?: number;
  /**
   * Estimated milliseconds to move a megabyte of a task's inputs to another worker (0 or
   * unset: shared memory, moving costs nothing). A thief takes a task only when it is
   * expected to run at least as long as moving its inputs would take (Dask's stealing
   * cost model): a 1.7 ms task next to a 25 MB persisted partition stays where it is.
   */
  transferMsPerMB?: number;
  /**
   * Tasks sent to a worker that has not started them can be taken back (`revoke`) for an
   * idle worker: thread pools, where a claim board in shared memory settles who runs a task.
   */
  stealFlight?: boolean;
  /** Milliseconds of estimated work each worker keeps in flight (placement.ts has the default). */
  inflightMs?: number;
  /**
   * The slot that runs in the caller's thread (thread pools; unset when persisting): the
   * outputs end up there, so an output task whose inputs it has or the pool has copies of
   * runs there (placement.ts `place`).
   */
  callerSlot?: number;
  /**
   * Mean task durations of groups that earlier computes on this pool ran (see
   * `learnedDurations`): such a group starts from that estimate instead of a full window.
   */
  priorMs?: ReadonlyMap<string, number>;
}

export interface LocalState {
  readonly keys: readonly Key[];
  readonly index: ReadonlyMap<Key, number>;
  readonly deps: readonly (readonly number[])[];
  readonly dependents: readonly number[][];
  readonly outputs: readonly number[];
  readonly isOutput: Uint8Array;
  /** Task group (key prefix) per task, for duration estimates. */
  readonly groupOf: Int32Array;
  /** Name of each group (keyGroup). */
  readonly groupNames: readonly string[];
  readonly groupMs: number[];
  readonly groupRuns: number[];
  readonly tunables: Tunables;
  /** Per task: the slot holding it before the compute began, NOT_HELD or HELD_LOST. */
  readonly heldAt: Int32Array;
  readonly heldBytes: Float64Array;
  workers: WorkerState[];
  waiting: Int32Array;
  remaining: Int32Array;
  status: Uint8Array;
  where: Int32Array;
  nbytes: Float64Array;
  /** The duration estimate each task in flight was sent with (what its window counted). */
  sentMs: Float64Array;
  /** Per task in flight: 1 once a revoke found it started (it cannot be taken back). */
  started: Uint8Array;
  /** Tasks a `revoke` asks for, until its answer: no second thief asks for them. */
  revoking: Set<number>;
  /** Tasks a `revoke` left where they were: not asked for again until the next report. */
  declined: Set<number>;
  holders: (number[] | undefined)[];
  /**
   * Per task: 1 while the pool keeps a copy of its result (a small result sent back with its
   * report), so a worker that needs it gets it without asking its holder.
   */
  copied: Uint8Array;
  done: number;
  inMemory: number;
  epoch: number;
  /** Outputs are being handed over (a worker lost now means starting over). */
  gathering: boolean;
  finished: boolean;
  crashes: CrashAttempt[];
  crashCount: Map<number, number>;
}

/** The group of a key for duration estimates: its name without token and block index. */
export function keyGroup(key: Key): string {
  const colon = key.indexOf(':');
  const name = colon < 0 ? key : key.slice(0, colon);
  const dash = name.lastIndexOf('-');
  return dash <= 0 ? name : name.slice(0, dash);
}

/**
 * A fresh state for a compute: `ordered` is the shared order of the needed keys,
 * `depsOf` their dependencies, `outputs` the requested keys, `workers` the pool slots' ids,
 * `held` the keys some worker already holds.
 */
export function createState(
  ordered: readonly Key[],
  depsOf: ReadonlyMap<Key, readonly Key[]>,
  outputs: readonly Key[],
  workers: readonly string[],
  tunables: Tunables,
  held: ReadonlyMap<Key, HeldInput> = new Map(),
): LocalState {
  const n = ordered.length;
  const index = new Map<Key, number>();
  for (let i = 0; i < n; i++) index.set(ordered[i]!, i);
  // Packed arrays whichever tier runs this (see core's packed.ts): the hot readers of the
  // state were deoptimized all at once when a compute's arrays came out holey.
  const deps = mapPacked(ordered, (k) => mapPacked(depsOf.get(k)!, (d) => index.get(d)!));
  const dependents: number[][] = mapPacked(ordered, () => []);
  for (let i = 0; i < n; i++) for (const d of deps[i]!) dependents[d]!.push(i);
  const groups = new Map<string, number>();
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = keyGroup(ordered[i]!);
    if (!groups.has(g)) groups.set(g, groups.size);
    groupOf[i] = groups.get(g)!;
  }
  const groupNames = [...groups.keys()];
  const outputIdx = mapPacked([...new Set(outputs)], (k) => index.get(k)!);
  const isOutput = new Uint8Array(n);
  for (const o of outputIdx) isOutput[o] = 1;
  const heldAt = new Int32Array(n).fill(NOT_HELD);
  const heldBytes = new Float64Array(n);
  for (const [k, h] of held) {
    const i = index.get(k);
    if (i === undefined) continue;
    heldAt[i] = h.worker;
    heldBytes[i] = h.nbytes;
  }
  const state: LocalState = {
    keys: ordered,
    index,
    deps,
    dependents,
    outputs: outputIdx,
    isOutput,
    groupOf,
    groupNames,
    groupMs: mapPacked(groupNames, (g) => tunables.priorMs?.get(g) ?? -1),
    groupRuns: filledPacked(groups.size, 0),
    tunables,
    heldAt,
    heldBytes,
    workers: [],
    waiting: new Int32Array(n),
    remaining: new Int32Array(n),
    status: new Uint8Array(n),
    where: new Int32Array(n),
    nbytes: new Float64Array(n),
    sentMs: new Float64Array(n),
    started: new Uint8Array(n),
    revoking: new Set(),
    declined: new Set(),
    holders: new Array(n),
    copied: new Uint8Array(n),
    done: 0,
    inMemory: 0,
    epoch: 0,
    gathering: false,
    finished: false,
    crashes: [],
    crashCount: new Map(),
  };
  resetProgress(state, workers);
  return state;
}

/**
 * The mean duration of each group this compute timed, by group name: what a later compute
 * on the same pool starts from (`Tunables.priorMs`).
 */
export function learnedDurations(state: LocalState): [string, number][] {
  const out: [string, number][] = [];
  for (let g = 0; g < state.groupNames.length; g++)
    if (state.groupRuns[g]! > 0) out.push([state.groupNames[g]!, state.groupMs[g]!]);
  return out;
}

/** Forgets all progress (a fresh attempt after a crash); keeps durations and crash counts. */
export function resetProgress(state: LocalState, workers: readonly string[]): void {
  const n = state.keys.length;
  for (let i = 0; i < n; i++) {
    state.waiting[i] = state.deps[i]!.length;
    state.remaining[i] = state.dependents[i]!.length + state.isOutput[i]!;
    state.holders[i] = undefined;
  }
  state.status.fill(WAITING);
  state.where.fill(-1);
  state.nbytes.fill(0);
  state.copied.fill(0);
  state.started.fill(0);
  state.revoking.clear();
  state.declined.clear();
  state.workers = mapPacked(workers, (id) => ({
    id,
    deque: new PriorityDeque(),
    inflight: new Set(),
    inflightMs: 0,
    incoming: new Map(),
    lastSent: [],
  }));
  state.done = 0;
  state.inMemory = 0;
  state.gathering = false;
  for (let i = 0; i < n; i++) if (state.heldAt[i]! >= 0) markHeld(state, i);
}

/** Held data starts in memory on its worker: nothing runs for it, dependents wait less. */
function markHeld(state: LocalState, i: number): void {
  state.status[i] = MEMORY;
  state.holders[i] = [state.heldAt[i]!];
  state.nbytes[i] = state.heldBytes[i]!;
  state.done++;
  state.inMemory++;
  for (const j of state.dependents[i]!) state.waiting[j]!--;
}
