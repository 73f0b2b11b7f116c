/**
 * A Future: a handle to a value being computed now (Dask's `client.submit` result).
 * Unlike a collection it is already running; `result()` waits for it. Futures can be
 * passed to further `submit` calls, which wait for them first.
 */
import { type Key, TOKEN } from '@dusk/core';

export type FutureStatus = 'pending' | 'finished' | 'error' | 'cancelled';

const FUTURE = Symbol.for('dusk.future');

export class Future<T = unknown> {
  readonly [FUTURE] = true;
  private state: FutureStatus = 'pending';
  private readonly settled: Promise<T>;
  private failure: unknown;

  constructor(
    readonly key: Key,
    work: Promise<T>,
  ) {
    this.settled = work.then(
      (v) => {
        this.state = 'finished';
        return v;
      },
      (e) => {
        this.state = (e as { code?: string })?.code === 'E_ABORTED' ? 'cancelled' : 'error';
        this.failure = e;
        throw e;
      },
    );
    // A failure is reported to whoever awaits result(); do not also crash the process.
    this.settled.catch(() => {});
  }

  get status(): FutureStatus {
    return this.state;
  }

  /** Whether the value or error is known. */
  done(): boolean {
    return this.state !== 'pending';
  }

  /** The value; rejects with the task's error (a TaskError naming the key). */
  result(): Promise<T> {
    return this.settled;
  }

  /** The error, if the task failed. */
  exception(): unknown {
    return this.failure;
  }

  [TOKEN](): string {
    return this.key;
  }

  toString(): string {
    return `<Future: ${this.state}, key: ${this.key}>`;
  }
}

export function isFuture(x: unknown): x is Future {
  return typeof x === 'object' && x !== null && (x as any)[FUTURE] === true;
}
