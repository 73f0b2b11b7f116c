/**
 * Recovering from a worker that died mid-compute, Dask style: only what was lost runs
 * again. Results held only by the dead worker are lost; the tasks that were running on
 * it, the lost results still needed and, recursively, released inputs of those, run
 * again; tasks elsewhere that were waiting for a lost input are forgotten there and wait
 * again. The replacement worker takes the dead one's slot and queue.
 */
import { pushTo } from './multimap.js';
import { fill, leaveFlight, place } from './placement.js';
import {
  type Instruction,
  type LocalState,
  MEMORY,
  NOT_HELD,
  PROCESSING,
  QUEUED,
  RELEASED,
  WAITING,
} from './state.js';

/**
 * Updates the state after worker `w` died and `replacement` took its slot. Returns a held
 * task that would have to run again (it cannot: the compute must fail), else undefined.
 */
export function recover(
  state: LocalState,
  w: number,
  replacement: string,
  out: Instruction[],
): number | undefined {
  const dead = state.workers[w]!;
  const lost = dropHolder(state, w);
  const rerun = closure(state, [...dead.inflight, ...lost]);
  for (const t of rerun) if (state.heldAt[t] !== NOT_HELD) return t;
  dead.inflight.clear();
  dead.inflightMs = 0;
  dead.incoming.clear();
  dead.id = replacement;
  for (const t of rerun) {
    state.workers[state.where[t]!]?.deque.delete(t);
    state.status[t] = WAITING;
    state.holders[t] = undefined;
  }
  unblockOthers(state, w, rerun, out);
  recount(state);
  for (let i = 0; i < state.keys.length; i++) {
    if (state.status[i] === WAITING && state.waiting[i] === 0) place(state, i);
  }
  for (let k = 0; k < state.workers.length; k++) fill(state, k, out);
  return undefined;
}

/** Removes worker `w` from every holder list; returns the keys nobody holds any more. */
function dropHolder(state: LocalState, w: number): number[] {
  const lost: number[] = [];
  for (let i = 0; i < state.keys.length; i++) {
    const h = state.holders[i];
    const at = h ? h.indexOf(w) : -1;
    if (at < 0) continue;
    h!.splice(at, 1);
    if (h!.length === 0) lost.push(i);
  }
  return lost;
}

/** `start` plus every released input they need, recursively: what must run again. */
function closure(state: LocalState, start: number[]): Set<number> {
  const rerun = new Set(start);
  const stack = [...start];
  while (stack.length > 0) {
    const t = stack.pop()!;
    for (const d of state.deps[t]!) {
      if (state.status[d] === RELEASED && !rerun.has(d)) {
        rerun.add(d);
        stack.push(d);
      }
    }
  }
  return rerun;
}

/**
 * Tasks queued or sent elsewhere that need a key about to run again go back to waiting
 * (forgotten by the worker they were sent to); fetches from the dead worker of keys that
 * others still hold are sent again from a live holder.
 */
function unblockOthers(state: LocalState, w: number, rerun: Set<number>, out: Instruction[]) {
  const forget = new Map<number, number[]>();
  for (let t = 0; t < state.keys.length; t++) {
    const s = state.status[t];
    if (s !== QUEUED && s !== PROCESSING) continue;
    if (!state.deps[t]!.some((d) => rerun.has(d))) continue;
    const ws = state.workers[state.where[t]!]!;
    if (s === QUEUED) ws.deque.delete(t);
    else {
      leaveFlight(state, state.where[t]!, t);
      pushTo(forget, state.where[t]!, t);
    }
    state.status[t] = WAITING;
  }
  for (const [worker, tasks] of forget) out.push({ type: 'forget', worker, tasks });
  for (let a = 0; a < state.workers.length; a++) {
    const incoming = state.workers[a]!.incoming;
    for (const [k, from] of [...incoming]) {
      if (rerun.has(k)) incoming.delete(k);
      else if (from === w) {
        const holder = state.holders[k]![0]!;
        incoming.set(k, holder);
        out.push({ type: 'fetch', from: holder, to: a, keys: [k] });
      }
    }
  }
}

/** Recomputes the counters that the changes above invalidated. */
function recount(state: LocalState): void {
  const n = state.keys.length;
  let done = 0;
  let inMemory = 0;
  for (let i = 0; i < n; i++) {
    const s = state.status[i]!;
    if (s === MEMORY || s === RELEASED) done++;
    if (s === MEMORY) inMemory++;
    if (s === WAITING) {
      let waiting = 0;
      for (const d of state.deps[i]!) if (state.status[d] !== MEMORY) waiting++;
      state.waiting[i] = waiting;
    }
    let remaining = state.isOutput[i]!;
    for (const j of state.dependents[i]!) {
      const sj = state.status[j];
      if (sj !== MEMORY && sj !== RELEASED) remaining++;
    }
    state.remaining[i] = remaining;
  }
  state.done = done;
  state.inMemory = inMemory;
}
