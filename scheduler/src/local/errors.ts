/**
 * Errors of the local pools: workers that keep crashing. A crash is any death of a worker
 * not asked for by the pool: an uncaught error (also from a timer), running out of memory,
 * `process.exit` in a task.
 */
import { DuskError, WorkerError } from '@dusk/core';
import type { CrashAttempt } from './state.js';

/** Workers died more often than the retry limit allows; `attempts` lists every crash. */
export class WorkerCrashError extends WorkerError {
  constructor(
    readonly attempts: readonly CrashAttempt[],
    readonly key?: string,
    retryLimit?: number,
  ) {
    const list = attempts
      .map((a, n) => `  ${n + 1}. ${a.worker} ${a.reason}${suspects(a.keys)}`)
      .join('\n');
    const who = key
      ? `Task '${key}' was running on a worker that died ${attempts.filter((a) => a.keys.includes(key)).length} times`
      : `Workers died ${attempts.length} times during this compute`;
    super(
      `${who}${retryLimit === undefined ? '' : ` (retry limit ${retryLimit})`}. Attempts:\n${list}\n` +
        'A task that calls process.exit, throws from a timer or callback, or runs out of memory ' +
        'kills its worker. Fix the task, or give it more memory or smaller chunks.',
    );
  }
}

function suspects(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const shown = keys
    .slice(0, 3)
    .map((k) => `'${k}'`)
    .join(', ');
  return ` while running ${shown}${keys.length > 3 ? ` and ${keys.length - 3} more` : ''}`;
}

/**
 * A persisted partition is gone: the worker that held it died, or its pool or cluster
 * connection was closed. Held data lives in one place (Dask recomputes it from lineage;
 * we do not keep the lineage), so the collection must be persisted again.
 */
export class HeldDataLostError extends DuskError {
  constructor(
    readonly key: string,
    why: string,
  ) {
    super(
      'E_HELD_LOST',
      `Persisted partition '${key}' is gone: ${why}. Persisted data lives only on the worker ` +
        'that computed it; persist the collection again (persist(x) on the original ' +
        'collection, not on the persisted copy) and compute with the new copy.',
    );
  }
}
