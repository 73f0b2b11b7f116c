/**
 * Placement policy of the local pools. A ready task joins the deque of the worker that
 * holds most of its input bytes; each worker keeps a small window of tasks in flight
 * (enough estimated work to hide a message round trip, many tasks at once when tasks are
 * tiny); a worker whose deque runs dry steals half of the busiest deque from its back.
 */

import { pushTo } from './multimap.js';
import { type Instruction, type LocalState, PROCESSING, QUEUED } from './state.js';

// Two tasks in flight keep a worker busy while the next one's message travels.
const MIN_INFLIGHT = 2;
// Behind a task estimated this long the message gap (~0.2 ms) is noise, while a second
// task sent is one no idle worker can steal (threads can take it back, steal-flight.ts;
// processes cannot): the last blocks of a word count sat behind a slowed core. So long
// tasks go out one per worker.
const LONG_TASK_MS = 20;
// About 25 round trips of a worker-thread message (~0.2 ms): tiny tasks are sent in
// batches this long, while a batch stays short enough for stealing to matter. A pool whose
// tasks in flight can be taken back (Tunables.stealFlight) may set a longer window.
const TARGET_INFLIGHT_MS = 5;
// Caps one batch, so a burst of microsecond tasks is still spread over all workers.
const MAX_INFLIGHT = 1000;

function windowMs(state: LocalState): number {
  return state.tunables.inflightMs ?? TARGET_INFLIGHT_MS;
}

/**
 * Estimated milliseconds of task `i`, from its group's mean so far. A group that has not
 * run yet counts a full window (as Dask's unknown-task-duration), so only MIN_INFLIGHT go
 * out per worker until one has been timed: at 1 ms, five long tasks went to each worker at
 * once, where none could be stolen.
 */
export function estimateMs(state: LocalState, i: number): number {
  const ms = state.groupMs[state.groupOf[i]!]!;
  return ms < 0 ? windowMs(state) : ms;
}

/**
 * Learns from one finished task's duration (running mean per group). The first one timed
 * in this compute replaces an estimate carried over from an earlier compute (priorMs).
 */
export function recordDuration(state: LocalState, i: number, ms: number): void {
  const g = state.groupOf[i]!;
  const runs = ++state.groupRuns[g]!;
  const mean = state.groupMs[g]!;
  state.groupMs[g] = mean < 0 ? ms : mean + (ms - mean) / Math.min(runs, 100);
}

/** Takes task `i` out of worker `w`'s window (it finished, or is forgotten). */
export function leaveFlight(state: LocalState, w: number, i: number): void {
  const ws = state.workers[w]!;
  ws.inflight.delete(i);
  ws.inflightMs = ws.inflight.size === 0 ? 0 : Math.max(0, ws.inflightMs - state.sentMs[i]!);
}

function load(state: LocalState, w: number): number {
  const ws = state.workers[w]!;
  return ws.deque.size + ws.inflight.size;
}

/**
 * Queues a ready task on the worker holding most of its input bytes (ties: least loaded).
 * A task whose every input the caller's slot holds or the pool has a copy of runs on the
 * caller's slot when it is an output or a short step (a reduction's combine step): its
 * inputs reach it without asking a worker, and nothing waits for a report of it. Traced on
 * nlargest over 50 partitions: the last step went to the worker that held four of its
 * seven inputs, waited for the caller's three, and its result came back in a report: ~0.45
 * ms from its end to the compute's. On mean, the combine steps over the worker's partials
 * went back to the worker after its last report and came back in another (two hops of
 * 0.1-0.2 ms). A step not yet timed is not known to be short.
 */
export function place(state: LocalState, i: number): void {
  const caller = state.tunables.callerSlot;
  if (
    caller !== undefined &&
    (state.isOutput[i] || estimateMs(state, i) < SHORT_STEP_MS) &&
    reachesCaller(state, i, caller)
  ) {
    enqueue(state, i, caller);
    return;
  }
  const nw = state.workers.length;
  const score = new Float64Array(nw);
  for (const d of state.deps[i]!) {
    const bytes = state.nbytes[d]! + 1;
    for (const h of state.holders[d] ?? []) score[h]! += bytes;
    for (let w = 0; w < nw; w++) if (state.workers[w]!.incoming.has(d)) score[w]! += bytes;
  }
  let best = 0;
  for (let w = 1; w < nw; w++) {
    if (
      score[w]! > score[best]! ||
      (score[w] === score[best] && load(state, w) < load(state, best))
    )
      best = w;
  }
  enqueue(state, i, best);
}

// A step this short runs on the caller's slot when its inputs reach it (see `place`): a
// reduction's combine step takes 5-100 us, its partitions 0.5-1.5 ms.
const SHORT_STEP_MS = 0.25;

/** Whether every input of task `i` is held by slot `caller`, owed to it, or copied to the pool. */
function reachesCaller(state: LocalState, i: number, caller: number): boolean {
  const incoming = state.workers[caller]!.incoming;
  return state.deps[i]!.every(
    (d) => state.copied[d] === 1 || incoming.has(d) || state.holders[d]?.includes(caller),
  );
}

export function enqueue(state: LocalState, i: number, w: number): void {
  state.status[i] = QUEUED;
  state.where[i] = w;
  state.workers[w]!.deque.push(i);
}

// Below this many root tasks per worker, roots are dealt in turn instead of in runs.
const ROOTS_PER_WORKER_FOR_RUNS = 4;

/**
 * Spreads ready tasks without inputs over the workers in contiguous runs of the order, so
 * each worker works through its own part depth-first and reductions stay local. A handful
 * of roots (often a few long calls of unequal length, like fib(30..33)) are dealt in turn,
 * as a process pool would, which balances better when there is nothing to keep local.
 */
export function placeRoots(state: LocalState, roots: readonly number[]): void {
  const nw = state.workers.length;
  const first = state.tunables.firstWorker ?? 0;
  if (roots.length < ROOTS_PER_WORKER_FOR_RUNS * nw) {
    for (let j = 0; j < roots.length; j++) enqueue(state, roots[j]!, (first + j) % nw);
    return;
  }
  let start = 0;
  for (let w = 0; w < nw; w++) {
    const end = w === nw - 1 ? roots.length : runEnd(state, roots, ((w + 1) * roots.length) / nw);
    for (let j = start; j < end; j++) enqueue(state, roots[j]!, (first + w) % nw);
    start = end;
  }
}

/**
 * Where a run of roots ends: at the even share `even`, or moved to the closest place within
 * an eighth of a run where the roots on either side feed no task in common, so each first
 * step of a tree reduction finds all its inputs on one worker instead of fetching one from
 * the other (Dask's co-assignment of root tasks). The eighth bounds the imbalance it makes
 * (stealing evens out the rest) and still reaches across half a step of 8 inputs when
 * each worker has 25 partitions or more.
 */
function runEnd(state: LocalState, roots: readonly number[], even: number): number {
  const at = Math.ceil(even);
  const reach = Math.floor(roots.length / state.workers.length / 8);
  for (let d = 0; d <= reach; d++) {
    for (const j of d === 0 ? [at] : [at - d, at + d]) {
      if (j > 0 && j < roots.length && !feedTogether(state, roots[j - 1]!, roots[j]!)) return j;
    }
  }
  return at;
}

/** Whether tasks `a` and `b` have a dependent in common. */
function feedTogether(state: LocalState, a: number, b: number): boolean {
  const of = state.dependents[b]!;
  return state.dependents[a]!.some((d) => of.includes(d));
}

/**
 * Below this estimate, a task whose inputs only another worker holds stays with it. That
 * worker hands them over only between its own tasks (on average half a task later: ~0.7
 * ms behind a 1.5 ms partition) and the values cross twice; a combine step of a reduction
 * takes ~0.1 ms. Traced on nlargest over 50 partitions: an idle caller's slot took such a
 * step from the worker that held all eight inputs and waited ~1 ms for them at the end of
 * the compute, while the worker would have run it right after its partition.
 */
const FETCHING_STEAL_MS = 1;

/** Whether running task `t` on `thief` saves more time than moving its inputs there costs. */
export function worthStealing(state: LocalState, t: number, thief: number): boolean {
  const msPerMB = state.tunables.transferMsPerMB ?? 0;
  const incoming = state.workers[thief]!.incoming;
  let bytes = 0;
  let asks = false;
  for (const d of state.deps[t]!) {
    if (state.holders[d]?.includes(thief) || incoming.has(d)) continue;
    bytes += state.nbytes[d]!;
    asks ||= state.copied[d] === 0;
  }
  const ms = estimateMs(state, t);
  if (asks && ms < FETCHING_STEAL_MS) return false;
  return msPerMB === 0 || (bytes / 1e6) * msPerMB <= ms;
}

function stealInto(state: LocalState, thief: number): boolean {
  let victim = -1;
  for (let w = 0; w < state.workers.length; w++) {
    // Only a worker with a full window has tasks it cannot start yet.
    if (w === thief || hasRoom(state, w)) continue;
    const size = state.workers[w]!.deque.size;
    if (size > 0 && (victim < 0 || size > state.workers[victim]!.deque.size)) victim = w;
  }
  if (victim < 0) return false;
  const from = state.workers[victim]!.deque;
  const take = Math.ceil(from.size / 2);
  const stay: number[] = [];
  let moved = 0;
  for (let k = 0; k < take; k++) {
    const t = from.popBack()!;
    if (worthStealing(state, t, thief)) {
      enqueue(state, t, thief);
      moved++;
    } else stay.push(t);
  }
  for (const t of stay) from.push(t);
  return moved > 0;
}

function hasRoom(state: LocalState, w: number): boolean {
  const ws = state.workers[w]!;
  const n = ws.inflight.size;
  if (n === 0) return true;
  // The task's group as it stands now (it may have been timed since it was sent); an
  // untimed group is not known to be long, whatever window its estimate fills.
  if (n < MIN_INFLIGHT) {
    const first = ws.inflight.values().next().value!;
    return state.groupMs[state.groupOf[first]!]! < LONG_TASK_MS; // untimed: -1
  }
  return ws.inflightMs < windowMs(state) && n < MAX_INFLIGHT;
}

/** Moves tasks from worker `w`'s deque into flight, stealing when it runs dry. */
export function fill(state: LocalState, w: number, out: Instruction[]): void {
  const ws = state.workers[w]!;
  const batch: number[] = [];
  const fetches = new Map<number, number[]>();
  while (hasRoom(state, w)) {
    let i = ws.deque.popFront();
    if (i === undefined) {
      if (ws.inflight.size >= MIN_INFLIGHT || !stealInto(state, w)) break;
      i = ws.deque.popFront()!;
    }
    state.status[i] = PROCESSING;
    state.started[i] = 0;
    ws.inflight.add(i);
    state.sentMs[i] = estimateMs(state, i);
    ws.inflightMs += state.sentMs[i]!;
    batch.push(i);
    for (const d of state.deps[i]!) {
      const holders = state.holders[d]!;
      if (holders.includes(w) || ws.incoming.has(d)) continue;
      ws.incoming.set(d, holders[0]!);
      pushTo(fetches, holders[0]!, d);
    }
  }
  for (const [from, keys] of fetches) out.push({ type: 'fetch', from, to: w, keys });
  if (batch.length > 0) {
    ws.lastSent = batch;
    out.push({ type: 'run', worker: w, tasks: batch });
  }
}
