/**
 * What a pool needs from a worker, whether a thread or a child process: post a message,
 * hear its messages and its death, keep the process alive only while computing, stop it.
 */
import type { FromWorker, ToWorker } from './protocol.js';

export interface WorkerEvents {
  message(msg: FromWorker): void;
  /** The worker is gone; `reason` says how (exit code, signal, uncaught error). */
  exit(reason: string): void;
}

export interface WorkerHandle {
  readonly id: string;
  post(msg: ToWorker, transfer?: ArrayBuffer[]): void;
  /** Keep the Node process alive for this worker (while a compute runs). */
  ref(): void;
  /** Let the Node process exit even though this worker is alive (when idle). */
  unref(): void;
  /**
   * Threads: whether a compute may send this worker work soon; marking it inactive ends a
   * spin for its first message (`wake`, doorbell.ts).
   */
  active?(on: boolean): void;
  /** Threads: marks the worker active and wakes it to spin for its first message. */
  wake?(): void;
  terminate(): Promise<void>;
}

export type Spawn = (id: string, events: WorkerEvents) => WorkerHandle;

/** The reason string for an uncaught error a worker died of. */
export function describeFatal(e: { name?: string; message?: string; code?: unknown }): string {
  const code = typeof e.code === 'string' ? ` [${e.code}]` : '';
  return `died of an uncaught ${e.name ?? 'Error'}${code}: ${e.message ?? String(e)}`;
}
