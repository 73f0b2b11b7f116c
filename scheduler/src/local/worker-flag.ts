/**
 * Whether this thread or process is a pool worker. A task that calls compute() with
 * 'threads' or 'processes' runs that compute in its own worker instead of starting a pool
 * inside the pool (whose workers would import the user's module again, and so on).
 */

let insideWorker = false;

/** Marks this thread or process as a pool worker (the worker runtime does it). */
export function markPoolWorker(): void {
  insideWorker = true;
}

/** True inside a pool worker. @example if (insidePoolWorker()) return sync.run(graph, keys); */
export function insidePoolWorker(): boolean {
  return insideWorker;
}
