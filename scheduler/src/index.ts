/**
 * @dusk/scheduler: the scheduler interface, compute/persist, and the schedulers.
 * Importing it registers every scheduler it holds.
 */
import { DistributedScheduler } from './distributed/client.js';
import { PoolScheduler } from './local-schedulers.js';
import { registerScheduler } from './scheduler.js';
import { SyncScheduler } from './sync.js';

registerScheduler('sync', () => new SyncScheduler());
registerScheduler('threads', (s) => new PoolScheduler('threads', s));
registerScheduler('processes', (s) => new PoolScheduler('processes', s));
registerScheduler('distributed', (s) => new DistributedScheduler(s));

export { config, Delayed, delayed, tasks } from '@dusk/core';
export { buildGraph, compute, persist } from './compute.js';
export { closeConnections, DistributedScheduler } from './distributed/client.js';
export {
  DistributedAuthError,
  DistributedProtocolError,
  NoWorkersError,
  SchedulerConnectionError,
} from './distributed/errors.js';
export { LocalCluster, type LocalClusterOptions } from './distributed/local-cluster.js';
export {
  DEFAULT_PORT,
  SchedulerServer,
  type SchedulerServerOptions,
} from './distributed/server.js';
export { DuskWorker, type WorkerExit, type WorkerOptions } from './distributed/worker.js';
export { asCompleted, Client, type ClientOptions, type SubmitOptions } from './futures/client.js';
export { Future, type FutureStatus, isFuture } from './futures/future.js';
export { type ProgressOptions, progress } from './futures/progress.js';
export { WorkerCrashError } from './local/errors.js';
export { closePools, getPool, PoolScheduler } from './local-schedulers.js';
export * from './scheduler.js';
export { asTaskError, SyncScheduler } from './sync.js';
