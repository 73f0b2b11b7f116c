/**
 * @dusk/core: the task graph, keys and tokens, delayed, the optimizer, ordering,
 * function references, errors and config. Every other Dusk package builds on it.
 */

export * from './alloc.js';
export * from './clone-check.js';
export * from './codecs.js';
export * from './collection.js';
export * from './compute-hook.js';
export * from './config.js';
export * from './delayed.js';
export * from './errors.js';
export * from './execute.js';
export * from './fn-ref.js';
export { freeVariables } from './free-vars.js';
export * from './graph.js';
export * from './held.js';
export * from './is-main.js';
export * from './keys.js';
export * from './layer.js';
export { cull } from './optimize/cull.js';
export { fuse } from './optimize/fuse.js';
export { type InlineOptions, inline } from './optimize/inline.js';
export { type GraphPass, type OptimizeOptions, optimize } from './optimize/optimize.js';
export * from './order.js';
export * from './packed.js';
export * from './task-functions.js';
export * from './tokenize.js';
export * from './toposort.js';
export * from './value-codec.js';
export * from './visualize.js';
