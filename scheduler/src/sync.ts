/**
 * The sync scheduler: runs a graph in the calling thread, in the shared order, releasing
 * each intermediate result as soon as its last dependent has run. The reference that every
 * other scheduler must agree with.
 */
import {
  AbortError,
  dependencies,
  type Graph,
  isDuskError,
  type Key,
  order,
  preloadFns,
  runNode,
  TaskError,
} from '@dusk/core';
import type { RunOptions, Scheduler } from './scheduler.js';

// Yield to the event loop this often so an AbortSignal or a timer can fire during a long
// compute; checking the clock every task would cost more than it saves.
const YIELD_EVERY_MS = 20;
const CLOCK_EVERY_TASKS = 64;

export class SyncScheduler implements Scheduler {
  readonly name = 'sync';

  async run(graph: Graph, keys: readonly Key[], opts: RunOptions = {}): Promise<unknown[]> {
    const { signal, onProgress } = opts;
    if (signal?.aborted) throw new AbortError(signal.reason);
    const deps = dependencies(graph);
    const ordered = order(graph, keys, deps);
    const remaining = new Map<Key, number>();
    for (const k of ordered)
      for (const d of deps.get(k)!) remaining.set(d, (remaining.get(d) ?? 0) + 1);
    for (const k of keys) remaining.set(k, (remaining.get(k) ?? 0) + 1);
    await preloadFns(ordered.map((k) => graph.get(k)!));

    const results = new Map<Key, unknown>();
    const get = (k: Key) => results.get(k);
    const total = ordered.length;
    let lastYield = performance.now();
    for (let i = 0; i < total; i++) {
      const key = ordered[i]!;
      const t0 = onProgress ? performance.now() : 0;
      let value: unknown;
      try {
        value = runNode(graph.get(key)!, get);
        if (value instanceof Promise) value = await value;
      } catch (e) {
        throw asTaskError(e, key);
      }
      results.set(key, value);
      for (const d of deps.get(key)!) {
        const left = remaining.get(d)! - 1;
        if (left === 0) results.delete(d);
        remaining.set(d, left);
      }
      onProgress?.({ done: i + 1, total, key, ms: performance.now() - t0, inMemory: results.size });
      if ((i & (CLOCK_EVERY_TASKS - 1)) === 0 && performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
        if (signal?.aborted) throw new AbortError(signal.reason);
      }
    }
    if (signal?.aborted) throw new AbortError(signal.reason);
    return keys.map((k) => results.get(k));
  }
}

/** Wraps an error thrown by a task so it names the task; Dusk errors about the task keep their type. */
export function asTaskError(e: unknown, key: Key): Error {
  if (isDuskError(e) && (e.code === 'E_TASK_FAILED' || e.code === 'E_ABORTED')) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  return new TaskError(key, { name: err.name, message: err.message, stack: err.stack }, undefined, {
    cause: err,
  });
}
