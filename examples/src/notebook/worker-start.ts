/**
 * The task each worker runs when a notebook starts its scheduler: load the collection
 * libraries, as a Dask worker has pandas and NumPy loaded before the first task arrives.
 * A module export, not a lambda: workers import it by URL, and the dynamic imports stay
 * as written whoever loads this file (a test runner may rewrite a lambda's source).
 */
import { tasks } from '@dusk/core';

/** Loads the array and dataframe kernels on the worker that runs it; returns `i`. */
export async function loadLibraries(i: number): Promise<number> {
  await Promise.all([import('@dusk/array/kernels'), import('@dusk/dataframe/kernels')]);
  return i;
}

export const workerStart = tasks(import.meta.url, { loadLibraries });
