/**
 * @dusk/scheduler: the scheduler interface, compute/persist, and the schedulers.
 * Importing it registers every scheduler it holds.
 */
import { PoolScheduler } from './local-schedulers.js';
import { registerScheduler } from './scheduler.js';
import { SyncScheduler } from './sync.js';

registerScheduler('sync', () => new SyncScheduler());
registerScheduler('threads', (s) => new PoolScheduler('threads', s));
registerScheduler('processes', (s) => new PoolScheduler('processes', s));

export { config, Delayed, delayed, tasks } from '@dusk/core';
export { buildGraph, compute, persist } from './compute.js';
export { asCompleted, Client, type ClientOptions, type SubmitOptions } from './futures/client.js';
export { Future, type FutureStatus, isFuture } from './futures/future.js';
export { type ProgressOptions, progress } from './futures/progress.js';
export { WorkerCrashError } from './local/errors.js';
export { closePools, getPool, PoolScheduler } from './local-schedulers.js';
export * from './scheduler.js';
export { asTaskError, SyncScheduler } from './sync.js';
