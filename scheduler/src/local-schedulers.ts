/**
 * The 'threads' and 'processes' schedulers: the same pool logic on worker_threads or on
 * child processes. One pool of each kind per process, started on first use, grown when a
 * compute asks for more workers, and reused by every compute after.
 */
import { config, type Graph, type HeldMarker, InvalidArgumentError, type Key } from '@dusk/core';
import { Pool, type PoolOptions } from './local/pool.js';
import { spawnProcess } from './local/process-transport.js';
import { awaitWorkerMessage, spawnThread, workerMessagePending } from './local/thread-transport.js';
import type { Spawn } from './local/transport.js';
import { insidePoolWorker } from './local/worker-flag.js';
import type { RunOptions, Scheduler, SchedulerSettings } from './scheduler.js';
import { SyncScheduler } from './sync.js';

// Moving a value between child processes is a relay through this one over two IPC pipes:
// a 25 MB persisted partition took ~100 ms. Threads share memory: moving is free.
const PROCESS_TRANSFER_MS_PER_MB = 4;
// A thread pool takes back tasks a worker has not started (steal-flight.ts), so a longer
// window than placement.ts's 5 ms costs no balance and saves messages. Workers ask for
// more once their queue runs low (worker-runtime.ts LOW_WATER_MS), so the window is the
// size of each refill: on 50-partition reductions 30 ms posted 12-14 runs per compute
// where 15 ms posted 14-21, and the pool thread ran 0.5-1.3 ms less (runs at 15 ms with
// reports every 5 ms instead had been no faster at 20 or 30 ms).
const THREAD_INFLIGHT_MS = 30;

const spawners: Record<
  'threads' | 'processes',
  { prefix: string; spawn: Spawn; options: PoolOptions }
> = {
  threads: {
    prefix: 'thread',
    spawn: spawnThread,
    // Threads share memory: tasks a worker has not started can move (steal-flight.ts).
    options: {
      transferMsPerMB: 0,
      stealFlight: true,
      inflightMs: THREAD_INFLIGHT_MS,
      // A persisted frame's partitions are decoded in each worker once, not per compute.
      keepLiterals: true,
      // The caller's thread works too: N workers are it and N - 1 threads (caller-slot.ts).
      callerWorks: true,
      // The caller's slot spins for workers' reports when it runs dry while a compute runs,
      // and yields for them between its tasks.
      workerMessages: { await: awaitWorkerMessage, pending: workerMessagePending },
    },
  },
  processes: {
    prefix: 'process',
    spawn: spawnProcess,
    options: { transferMsPerMB: PROCESS_TRANSFER_MS_PER_MB },
  },
};
const pools = new Map<string, Pool>();

/** The shared pool of a kind, started when first asked for. */
export function getPool(kind: 'threads' | 'processes'): Pool {
  let pool = pools.get(kind);
  if (!pool) {
    const { prefix, spawn, options } = spawners[kind];
    pool = new Pool(prefix, spawn, options);
    pools.set(kind, pool);
  }
  return pool;
}

/**
 * Stops the shared pools (tests, or a long-lived program that is done computing).
 * Not needed before exit: idle workers never keep Node alive.
 * @example await closePools();
 */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}

/**
 * A scheduler running on a shared local pool. `processes` persists on its workers (a
 * result crosses the IPC pipe as bytes, so bringing it back and sending it out again costs
 * two copies per compute); `threads` persists by bringing results to the caller: they sit
 * on SharedArrayBuffers, so holding them here copies nothing, and they survive a worker
 * crash.
 */
export class PoolScheduler implements Scheduler {
  readonly persist?: (g: Graph, k: readonly Key[], o?: RunOptions) => Promise<HeldMarker[]>;

  constructor(
    readonly name: 'threads' | 'processes',
    private readonly settings: SchedulerSettings = {},
  ) {
    if (name === 'processes') this.persist = (g, k, o) => this.persistOnPool(g, k, o);
  }

  starting(): void {
    const workers = this.workers();
    if (typeof workers === 'number' && !insidePoolWorker()) getPool(this.name).wake(workers);
  }

  run(graph: Graph, keys: readonly Key[], opts: RunOptions = {}): Promise<unknown[]> {
    const workers = this.workers();
    if (workers instanceof Error) return Promise.reject(workers);
    // A compute started by a task runs in that task's worker, never on a pool in a pool.
    if (insidePoolWorker()) return new SyncScheduler().run(graph, keys, opts);
    const retryLimit = this.settings.retries as number | undefined;
    return getPool(this.name).run(graph, keys, { ...opts, retryLimit }, workers);
  }

  owns(owner: string): boolean {
    return !insidePoolWorker() && pools.get(this.name)?.held.owner === owner;
  }

  private async persistOnPool(
    graph: Graph,
    keys: readonly Key[],
    opts: RunOptions = {},
  ): Promise<HeldMarker[]> {
    const workers = this.workers();
    if (workers instanceof Error) throw workers;
    const retryLimit = this.settings.retries as number | undefined;
    return getPool(this.name).persist(graph, keys, { ...opts, retryLimit }, workers);
  }

  private workers(): number | Error {
    const workers = this.settings.workers ?? config.get('workers');
    if (Number.isInteger(workers) && workers >= 1) return workers;
    return new InvalidArgumentError(
      `compute(): workers must be a whole number of at least 1 (got ${String(workers)}).`,
    );
  }

  async close(): Promise<void> {
    const pool = pools.get(this.name);
    pools.delete(this.name);
    await pool?.close();
  }
}
