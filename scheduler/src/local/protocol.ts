/**
 * Messages between a local pool and its workers (threads or child processes). Plain,
 * cloneable data. `run` names one attempt of one compute (compute id and epoch), so a late
 * message from a cancelled attempt is recognised and dropped. Values that needed a codec
 * travel encoded and say so with `enc`.
 */
import type { Node, PlainError } from '@dusk/core';

/** A task to run: its index in the compute, its key and its graph node. */
export type WireTask = [index: number, key: string, node: Node];

export type ToWorker =
  /** `release`: results of earlier tasks to drop first (small ones ride along, see compute-run). */
  | { t: 'run'; run: string; tasks: WireTask[]; enc: boolean; release?: string[] }
  | { t: 'put'; run: string; keys: string[]; values: unknown[]; enc: boolean }
  /** Reply with a `data` message holding the values of `keys`. */
  | { t: 'send'; run: string; req: number; keys: string[] }
  /** Like `send`, then forget the whole run (the compute's results are leaving). */
  | { t: 'gather'; run: string; req: number; keys: string[] }
  | { t: 'release'; run: string; keys: string[] }
  /** Drop these tasks, still waiting for an input that was lost with another worker. */
  | { t: 'forget'; run: string; keys: string[] }
  | { t: 'cancel'; run: string };

export type FromWorker =
  /** `items` is flat: task index, result bytes, milliseconds for each finished task. */
  | { t: 'done'; run: string; items: number[] }
  | { t: 'err'; run: string; task: number; error: PlainError }
  | { t: 'data'; run: string; req: number; values: unknown[]; enc: boolean; error?: PlainError };

/** The run id of one attempt of one compute. */
export function runId(compute: number, epoch: number): string {
  return `${compute}.${epoch}`;
}
