/**
 * @dusk/scheduler: the scheduler interface, compute/persist, and the schedulers.
 * Importing it registers every scheduler it holds.
 */
import { registerScheduler } from './scheduler.js';
import { SyncScheduler } from './sync.js';

registerScheduler('sync', () => new SyncScheduler());

export { config, Delayed, delayed, tasks } from '@dusk/core';
export { buildGraph, compute, persist } from './compute.js';
export * from './scheduler.js';
export { asTaskError, SyncScheduler } from './sync.js';
