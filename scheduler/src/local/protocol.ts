/**
 * Messages between a local pool and its workers (threads or child processes). Plain,
 * cloneable data. `run` names one attempt of one compute (compute id and epoch), so a late
 * message from a cancelled attempt is recognised and dropped. Values that needed a codec
 * travel encoded and say so with `enc`.
 */
import type { MarkerPath, Node, PlainError } from '@dusk/core';

/**
 * A task to run: its index in the compute, its key and its graph node; on a thread pool
 * also the ticket to claim on the compute's claim board before running it (claim-board.ts).
 */
export type WireTask = [index: number, key: string, node: Node, ticket?: number];

export type ToWorker =
  /**
   * `release`: results of earlier tasks to drop first (small ones ride along, see
   * compute-run). `board`: the run's claim board, with the run's first `run` to a worker.
   * `uncache`: kept literals to drop once this message's tasks are decoded (literal-cache.ts).
   * `at`: where the encoded values sit in `tasks` (core's MarkerPath), so the worker goes
   * straight to them instead of walking every task. `back`: tasks (by index) whose result,
   * when small, comes back with the report of it (see `done`).
   */
  | {
      t: 'run';
      run: string;
      tasks: WireTask[];
      enc: boolean;
      at?: MarkerPath[];
      release?: string[];
      board?: Int32Array;
      uncache?: number[];
      back?: number[];
    }
  /**
   * Drop these kept literals: the values are gone on the pool's side (literal-cache.ts);
   * with `all`, drop every kept literal.
   */
  | { t: 'uncache'; run: string; ids: number[]; all?: boolean }
  | { t: 'put'; run: string; keys: string[]; values: unknown[]; enc: boolean }
  /** Reply with a `data` message holding the values of `keys`. */
  | { t: 'send'; run: string; req: number; keys: string[] }
  /** Like `send`, then forget the whole run (the compute's results are leaving). */
  | { t: 'gather'; run: string; req: number; keys: string[] }
  /**
   * Like `gather` without the values: move `keys` from the run's results into the
   * worker's held store (persist), reply with an empty `data`, then forget the run.
   */
  | { t: 'keep'; run: string; req: number; keys: string[] }
  /** Drop persisted keys from the held store (`run` is HELD_RUN). */
  | { t: 'drop'; run: string; keys: string[] }
  | { t: 'release'; run: string; keys: string[] }
  /** Drop these tasks, still waiting for an input that was lost with another worker. */
  | { t: 'forget'; run: string; keys: string[] }
  | { t: 'cancel'; run: string };

export type FromWorker =
  /**
   * `items` is flat: task index, result bytes, milliseconds for each finished task.
   * `values` is flat too: task index, result, for the small results the pool asked back
   * (`run`'s `back`); `enc` says whether any of them is encoded.
   */
  | { t: 'done'; run: string; items: number[]; values?: unknown[]; enc?: boolean }
  | { t: 'err'; run: string; task: number; error: PlainError }
  | { t: 'data'; run: string; req: number; values: unknown[]; enc: boolean; error?: PlainError };

/**
 * The run id of requests about held data outside any compute (`send` of held keys,
 * `drop`); replies carry it back. Not of the form `compute.epoch`, so no run claims it.
 */
export const HELD_RUN = 'held';

/** The run id of one attempt of one compute. */
export function runId(compute: number, epoch: number): string {
  return `${compute}.${epoch}`;
}
