/**
 * @dusk/bag/kernels: the functions bag graphs name by `{ module: '@dusk/bag/kernels', name }`.
 * Workers import this module once and cache it. Every argument is plain data.
 */
export * from './byte-word-counter.js';
export * from './columns.js';
export * from './count-words-file.js';
export * from './decode.js';
export * from './elementwise.js';
export * from './fold.js';
export * from './hash.js';
export * from './key-index.js';
export * from './keyed.js';
export * from './numeric.js';
export * from './partitions.js';
export * from './read-text.js';
export * from './shuffle.js';
export * from './whitespace.js';
export * from './word-counter.js';
export * from './word-counts.js';
export * from './words.js';
export * from './write-text.js';
