/**
 * The claim board of a compute on a thread pool: one Int32 slot per task, in shared memory,
 * that settles the race between a worker starting a task it was sent and the pool taking
 * that task back for an idle worker. Each send of a task arms its slot with a fresh ticket;
 * the worker claims the ticket right before running the task, the pool revokes it for a
 * thief; whichever compareExchange comes first wins, so a task runs exactly once. A task
 * sent again (to the thief, or after a crash) gets a new ticket, so a late claim of an old
 * send fails.
 */

/** Slot value once the worker holding the ticket has started the task. */
const STARTED = -1;
/** Slot value once the pool took the task back. */
const REVOKED = 0;

export type ClaimBoard = Int32Array;

/** A board for `tasks` tasks, on shared memory so every worker thread sees the same slots. */
export function createBoard(tasks: number): ClaimBoard {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, tasks)));
}

/** Opens task `i` to a claim of `ticket` (tickets start at 1 and grow with each send). */
export function arm(board: ClaimBoard, i: number, ticket: number): void {
  Atomics.store(board, i, ticket);
}

/** Worker side: whether the task may run here (false: it was taken back, skip it). */
export function claim(board: ClaimBoard, i: number, ticket: number): boolean {
  return Atomics.compareExchange(board, i, ticket, STARTED) === ticket;
}

/** Pool side: whether task `i` still waits for the worker holding `ticket` to start it. */
export function isOpen(board: ClaimBoard, i: number, ticket: number): boolean {
  return Atomics.load(board, i) === ticket;
}

/** Pool side: whether task `i` was taken back before the worker holding `ticket` started it. */
export function revoke(board: ClaimBoard, i: number, ticket: number): boolean {
  return Atomics.compareExchange(board, i, ticket, REVOKED) === ticket;
}
