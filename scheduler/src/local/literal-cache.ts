/**
 * Literal values a thread worker keeps between computes (core's `LiteralCache`). A
 * persisted frame's partitions are literal Arrow tables on shared memory; every compute
 * over the frame used to encode them on this thread, clone them into a message and
 * rebuild them as Arrow objects in the worker (~0.1-0.2 ms a table, and V8's garbage
 * after it). Now the first message to a worker carries a table with a number; the worker
 * keeps what it decoded under that number and later messages send the number alone.
 *
 * The numbers are per value object, for the life of this process. This side knows what
 * each worker keeps (`KeptLiterals`, one per worker thread) and tells it to let go:
 *  - when the value is garbage here (nothing can name it again, and the worker's copy
 *    would keep its shared memory alive), by a `uncache` message of its own;
 *  - when a worker keeps more than `MAX_KEPT` values, the least recently sent, riding on
 *    the next `run` (the worker drops them after decoding that message's tasks).
 */
import type { LiteralCache } from '@dusk/core';

/** Values a worker keeps at most (their bytes are shared with this thread's, not copied). */
export const MAX_KEPT = 4096;

let nextId = 0;
const ids = new WeakMap<object, number>();
const live = new Set<KeptLiterals>();
const gone = new FinalizationRegistry<number>((id) => {
  for (const k of live) k.forget(id);
});

/** The process-wide number of a value object. */
function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
    gone.register(value, id);
  }
  return id;
}

/** What one worker keeps; `send` posts it the numbers to let go of. */
export class KeptLiterals implements LiteralCache {
  /** Kept numbers, least recently sent first. */
  private readonly kept = new Set<number>();
  /** Evicted by `add`, to ride on the next message. */
  private evicted: number[] = [];
  private forgotten: number[] = [];
  private flushing = false;

  constructor(
    private readonly send: (ids: number[], all?: boolean) => void,
    private readonly max = MAX_KEPT,
  ) {
    live.add(this);
  }

  idOf(value: object): number {
    return idOf(value);
  }

  has(id: number): boolean {
    if (!this.kept.has(id)) return false;
    // Most recently used last.
    this.kept.delete(id);
    this.kept.add(id);
    return true;
  }

  add(id: number): void {
    this.kept.add(id);
    // Evicted earlier in this same message and sent whole again: the worker keeps it.
    const again = this.evicted.indexOf(id);
    if (again >= 0) this.evicted.splice(again, 1);
    if (this.kept.size <= this.max) return;
    const oldest = this.kept.values().next().value as number;
    this.kept.delete(oldest);
    this.evicted.push(oldest);
  }

  /** Numbers evicted since the last call (the message about to go out carries them). */
  takeEvicted(): number[] | undefined {
    if (this.evicted.length === 0) return undefined;
    const out = this.evicted;
    this.evicted = [];
    return out;
  }

  /** The value behind `id` is garbage on this side: the worker lets go soon after. */
  forget(id: number): void {
    if (!this.kept.delete(id)) return;
    this.forgotten.push(id);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const out = this.forgotten;
      this.forgotten = [];
      if (out.length > 0) this.send(out);
    }).unref();
  }

  /**
   * A message built against this record was not sent (it failed to post): what the worker
   * keeps is no longer known exactly, so it is told to let go of everything and the record
   * starts empty.
   */
  reset(): void {
    this.kept.clear();
    this.evicted = [];
    this.forgotten = [];
    this.send([], true);
  }

  /** The worker is gone: nothing to tell it any more. */
  close(): void {
    live.delete(this);
    this.kept.clear();
    this.evicted = [];
    this.forgotten = [];
  }

  get size(): number {
    return this.kept.size;
  }
}
