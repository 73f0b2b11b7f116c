/**
 * @dusk/dataframe/kernels: the functions partition tasks name. Workers import this module
 * by name; importing it also registers the 'arrow-table' codec so partitions can cross
 * thread and process boundaries.
 */

export { decodeTable, encodeTable } from './codec.js';
export * from './tasks.js';
