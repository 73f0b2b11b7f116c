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
 * The tasks of worker `victim`'s window `thief` may take: from the back (lowest priority),
 * at most half the window, never one known to have started or already asked for.
 */
function takeable(state: LocalState, victim: number, thief: number): number[] {
  const flight = state.workers[victim]!.inflight;
  const candidates = [...flight]
    .filter((t) => state.started[t] === 0 && !state.revoking.has(t))
    .sort((a, b) => b - a);
  const take: number[] = [];
  let ms = 0;
  for (const t of candidates) {
    if (take.length >= Math.floor(flight.size / 2)) break;
    if (!worthStealing(state, t, thief)) continue;
    take.push(t);
    ms += estimateMs(state, t);
  }
  return ms >= MIN_STEAL_MS ? take : [];
}

/** Asks to take back tasks in flight for every idle worker, from the worker offering most. */
export function stealFromFlight(state: LocalState, out: Instruction[]): void {
  if (!state.tunables.stealFlight) return;
  // Any deque left means a worker with room will take it; flight is the last resort.
  if (state.workers.some((ws) => ws.deque.size > 0)) return;
  for (let thief = 0; thief < state.workers.length; thief++) {
    if (!idle(state, thief)) continue;
    let best: number[] = [];
    let victim = -1;
    for (let w = 0; w < state.workers.length; w++) {
      if (w === thief) continue;
      const take = takeable(state, w, thief);
      if (take.length > best.length) [best, victim] = [take, w];
    }
    if (victim < 0) continue;
    for (const t of best) state.revoking.add(t);
    out.push({ type: 'revoke', worker: victim, thief, tasks: best });
  }
}

/** The shell's answer to a `revoke`: tasks taken back join the thief's deque. */
export function revoked(state: LocalState, event: Extract<Event, { type: 'revoked' }>): void {
  const { worker, thief, tasks, kept } = event;
  for (const t of kept) {
    state.revoking.delete(t);
    state.started[t] = 1;
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
