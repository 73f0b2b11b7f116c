/**
 * Stealing from flight (thread pools): a worker with nothing in flight and no deque to steal
 * from asks for tasks already sent to the busiest worker that it has not started yet. The
 * shell settles each one with a claim in shared memory (claim-board.ts) and answers with a
 * `revoked` event; tasks taken back move to the thief's deque and go out as a new `run`.
 * Without it, a worker descheduled for a few ms with tasks in flight held up the end of
 * every compute while the other worker sat idle.
 */
import { enqueue, estimateMs, leaveFlight, worthStealing } from './placement.js';
import { type Event, type Instruction, type LocalState, PROCESSING } from './state.js';

// Moving less estimated work than a message to the thief costs (~0.2 ms) gains nothing.
const MIN_STEAL_MS = 0.2;

function idle(state: LocalState, w: number): boolean {
  const ws = state.workers[w]!;
  return ws.inflight.size === 0 && ws.deque.size === 0;
}

/**
 * The tasks of worker `victim`'s window `thief` may take, from the back (lowest priority):
 * every one not known to have started, already asked for, or left there by the last ask
 * (until the next report). Which of them really wait, only the claim board knows: reports
 * come every few ms, so the window seen here also holds tasks that ran since. The shell
 * splits what waits (`splitWaiting`).
 */
function takeable(state: LocalState, victim: number, thief: number): Takeable {
  const tasks = [...state.workers[victim]!.inflight]
    .filter((t) => state.started[t] === 0 && !state.revoking.has(t) && !state.declined.has(t))
    .sort((a, b) => b - a)
    .filter((t) => worthStealing(state, t, thief));
  const ms = tasks.map((t) => estimateMs(state, t));
  return ms.reduce((a, b) => a + b, 0) >= MIN_STEAL_MS ? { tasks, ms } : NOTHING;
}

/** Tasks a thief may take from one victim, back first, with their estimated durations. */
interface Takeable {
  tasks: number[];
  ms: number[];
}
const NOTHING: Takeable = { tasks: [], ms: [] };

/**
 * Which of a victim's tasks an idle thief takes, given each one's estimated `ms` (back
 * first), whether it still `waits` to start, and whether the victim is `busy` running one
 * (then it is on average halfway through a task as long as the longest that started). From
 * the front, a waiting task moves while the thief would still end before the victim; the
 * first that would not ends the taking. So work is split by time, not count: half of a
 * window's count took a compute's last two partitions from a worker left with two tiny
 * combine steps, which then sat idle ~2 ms (the end of a 50-partition mean on 2 threads);
 * and a lone task waiting on an idle worker stays (it would only bounce between the two).
 */
export function splitWaiting(
  ms: readonly number[],
  waits: readonly boolean[],
  busy: boolean,
): boolean[] {
  let longest = 0;
  let longestStarted = 0;
  let waitingMs = 0;
  for (let i = 0; i < ms.length; i++) {
    longest = Math.max(longest, ms[i]!);
    if (waits[i]) waitingMs += ms[i]!;
    else longestStarted = Math.max(longestStarted, ms[i]!);
  }
  // Started tasks not listed (known to the machine) make it busy with no length: the longest.
  const running = busy ? (longestStarted || longest) / 2 : 0;
  const take = ms.map(() => false);
  let taken = 0;
  for (let i = 0; i < ms.length; i++) {
    if (!waits[i]) continue;
    // Taken, it would end on the thief (taken + ms) no sooner than the victim ends as is.
    if (taken + ms[i]! >= running + waitingMs - taken) break;
    take[i] = true;
    taken += ms[i]!;
  }
  return take;
}

/** Asks to take back tasks in flight for every idle worker, from the worker offering most. */
export function stealFromFlight(state: LocalState, out: Instruction[]): void {
  if (!state.tunables.stealFlight) return;
  // Any deque left means a worker with room will take it; flight is the last resort.
  if (state.workers.some((ws) => ws.deque.size > 0)) return;
  for (let thief = 0; thief < state.workers.length; thief++) {
    if (!idle(state, thief)) continue;
    let best = NOTHING;
    let victim = -1;
    for (let w = 0; w < state.workers.length; w++) {
      if (w === thief) continue;
      const take = takeable(state, w, thief);
      if (take.tasks.length > best.tasks.length) [best, victim] = [take, w];
    }
    if (victim < 0) continue;
    for (const t of best.tasks) state.revoking.add(t);
    const busy = [...state.workers[victim]!.inflight].some((t) => state.started[t] === 1);
    out.push({ type: 'revoke', worker: victim, thief, tasks: best.tasks, ms: best.ms, busy });
  }
}

/** The shell's answer to a `revoke`: tasks taken back join the thief's deque. */
export function revoked(state: LocalState, event: Extract<Event, { type: 'revoked' }>): void {
  const { worker, thief, tasks, kept } = event;
  for (const t of kept) {
    state.revoking.delete(t);
    state.started[t] = 1;
  }
  for (const t of event.left ?? []) {
    state.revoking.delete(t);
    state.declined.add(t);
  }
  const gone = new Set<number>();
  for (const t of tasks) {
    state.revoking.delete(t);
    if (state.status[t] !== PROCESSING || state.where[t] !== worker) continue;
    leaveFlight(state, worker, t);
    enqueue(state, t, thief);
    gone.add(t);
  }
  // A task taken back never ran there: its old worker's crash is not its fault.
  const ws = state.workers[worker]!;
  ws.lastSent = ws.lastSent.filter((t) => !gone.has(t));
}
