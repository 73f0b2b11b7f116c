/**
 * The local pools' scheduling logic as a pure state machine: `handle(state, event)` updates
 * the state and returns instructions (run these tasks there, fetch these keys from here to
 * there, release, gather, fail). The thread and process shells only carry them out, so
 * every policy here is tested without a thread (dask/distributed's worker_state_machine
 * is the model).
 */

import { pushTo } from './multimap.js';
import { fill, leaveFlight, place, placeRoots, recordDuration } from './placement.js';
import { recover } from './recovery.js';
import {
  type Event,
  HELD_LOST,
  type Instruction,
  type LocalState,
  MEMORY,
  PROCESSING,
  RELEASED,
  resetProgress,
  WAITING,
} from './state.js';
import { revoked, stealFromFlight } from './steal-flight.js';

/** Handles one event; returns what the shell must do, in order. */
export function handle(state: LocalState, event: Event): Instruction[] {
  const out: Instruction[] = [];
  if (state.finished) return out;
  // A report may change what evens two workers out: what a revoke left may be asked for.
  if (event.type !== 'revoked') state.declined.clear();
  switch (event.type) {
    case 'start':
      start(state, out);
      break;
    case 'task-done':
      for (let j = 0; j < event.items.length; j += 3) {
        finish(state, event.worker, event.items[j]!, event.items[j + 1]!, event.items[j + 2]!, out);
      }
      fillAll(state, out);
      break;
    case 'transfer-done':
      transferred(state, event.worker, event.keys, out);
      break;
    case 'task-erred': {
      const i = event.task;
      if (state.status[i] !== PROCESSING || state.where[i] !== event.worker) break;
      const worker = state.workers[event.worker]!.id;
      stop(state, out);
      out.push({
        type: 'fail',
        failure: { kind: 'task', key: state.keys[i]!, worker, error: event.error },
      });
      break;
    }
    case 'revoked':
      revoked(state, event);
      fillAll(state, out);
      break;
    case 'worker-died':
      workerDied(state, event.worker, event.reason, event.replacement, out);
      break;
    case 'abort':
      stop(state, out);
      out.push({ type: 'fail', failure: { kind: 'abort', reason: event.reason } });
      break;
  }
  return out;
}

function start(state: LocalState, out: Instruction[]): void {
  const roots: number[] = [];
  for (let i = 0; i < state.keys.length; i++) {
    if (state.status[i] === WAITING && state.waiting[i] === 0) roots.push(i);
  }
  // Tasks whose inputs are all held data are ready too, and go next to their data.
  const fresh = roots.filter((i) => state.deps[i]!.length === 0);
  placeRoots(state, fresh);
  for (const i of roots) if (state.deps[i]!.length > 0) place(state, i);
  fillAll(state, out);
  if (state.done === state.keys.length) gather(state, out);
}

function fillAll(state: LocalState, out: Instruction[]): void {
  for (let w = 0; w < state.workers.length; w++) fill(state, w, out);
  stealFromFlight(state, out);
}

function finish(
  state: LocalState,
  w: number,
  i: number,
  nbytes: number,
  ms: number,
  out: Instruction[],
): void {
  if (state.status[i] !== PROCESSING || state.where[i] !== w) return;
  leaveFlight(state, w, i);
  recordDuration(state, i, ms);
  state.status[i] = MEMORY;
  state.holders[i] = [w];
  state.nbytes[i] = nbytes;
  state.done++;
  state.inMemory++;
  if (state.tunables.progress)
    out.push({
      type: 'progress',
      task: i,
      ms,
      worker: w,
      done: state.done,
      inMemory: state.inMemory,
    });
  for (const d of state.deps[i]!) if (--state.remaining[d]! === 0) release(state, d, out);
  for (const j of state.dependents[i]!) if (--state.waiting[j]! === 0) place(state, j);
  if (state.remaining[i] === 0) release(state, i, out);
  if (state.done === state.keys.length) gather(state, out);
}

function release(state: LocalState, i: number, out: Instruction[]): void {
  state.status[i] = RELEASED;
  state.inMemory--;
  for (const w of state.holders[i] ?? []) out.push({ type: 'release', worker: w, keys: [i] });
  state.holders[i] = undefined;
}

function transferred(
  state: LocalState,
  w: number,
  keys: readonly number[],
  out: Instruction[],
): void {
  const ws = state.workers[w]!;
  for (const k of keys) {
    if (!ws.incoming.delete(k)) continue;
    if (state.status[k] === MEMORY) state.holders[k]!.push(w);
    else out.push({ type: 'release', worker: w, keys: [k] });
  }
}

function gather(state: LocalState, out: Instruction[]): void {
  const byWorker = new Map<number, number[]>();
  for (const o of state.outputs) {
    const w = state.holders[o]![0]!;
    pushTo(byWorker, w, o);
  }
  // Not finished yet: a worker dying before it hands its outputs over means a rerun.
  state.gathering = true;
  out.push({ type: 'gather', from: [...byWorker] });
}

function stop(state: LocalState, out: Instruction[]): void {
  state.finished = true;
  out.push({ type: 'cancel', workers: state.workers.map((_, w) => w), epoch: state.epoch });
}

function workerDied(
  state: LocalState,
  w: number,
  reason: string,
  replacement: string | undefined,
  out: Instruction[],
): void {
  const ws = state.workers[w]!;
  const deadId = ws.id;
  loseHeld(state, w);
  const suspects = ws.inflight.size > 0 ? [...ws.inflight] : ws.lastSent;
  const blamed = ws.inflight.size > 0 || holdsAnything(state, w);
  if (!blamed && replacement !== undefined) {
    // Nothing of this compute was on it: its queue waits for the replacement.
    ws.id = replacement;
    fill(state, w, out);
    return;
  }
  state.crashes.push({ worker: ws.id, reason, keys: suspects.map((i) => state.keys[i]!) });
  let culprit: number | undefined;
  for (const i of suspects) {
    const n = (state.crashCount.get(i) ?? 0) + 1;
    state.crashCount.set(i, n);
    if (n > state.tunables.retryLimit && culprit === undefined) culprit = i;
  }
  // A crash that no task in flight explains (a timer firing later) still counts, so a
  // worker that keeps dying cannot make the compute retry forever.
  const tooMany = state.crashes.length > state.tunables.retryLimit + 2;
  if (culprit !== undefined || tooMany || replacement === undefined) {
    stop(state, out);
    const key = culprit === undefined ? undefined : state.keys[culprit];
    out.push({ type: 'fail', failure: { kind: 'crash', key, attempts: state.crashes } });
    return;
  }
  if (!state.gathering) {
    const lost = recover(state, w, replacement, out);
    if (lost !== undefined) heldLost(state, lost, deadId, reason, out);
    return;
  }
  // Outputs are being handed over and workers forget the compute as they do: start over.
  const lost = state.heldAt.indexOf(HELD_LOST);
  if (lost >= 0) {
    heldLost(state, lost, deadId, reason, out);
    return;
  }
  const alive = state.workers.map((_, k) => k).filter((k) => k !== w);
  out.push({ type: 'cancel', workers: alive, epoch: state.epoch });
  state.epoch++;
  const ids = state.workers.map((x) => x.id);
  ids[w] = replacement;
  resetProgress(state, ids);
  start(state, out);
}

/** Held data on worker `w` is gone for the rest of this compute (the pool forgets it too). */
function loseHeld(state: LocalState, w: number): void {
  for (let i = 0; i < state.heldAt.length; i++)
    if (state.heldAt[i] === w) state.heldAt[i] = HELD_LOST;
}

// Held data has no lineage here to run again from: the compute fails, naming what was lost.
function heldLost(
  state: LocalState,
  i: number,
  worker: string,
  reason: string,
  out: Instruction[],
): void {
  stop(state, out);
  out.push({ type: 'fail', failure: { kind: 'held-lost', key: state.keys[i]!, worker, reason } });
}

/** Whether worker `w` holds a result of this compute or is owed one. */
function holdsAnything(state: LocalState, w: number): boolean {
  if (state.workers[w]!.incoming.size > 0) return true;
  for (let i = 0; i < state.keys.length; i++) if (state.holders[i]?.includes(w)) return true;
  return false;
}
