/**
 * The collection protocol: what `compute`, `persist` and the schedulers need from a
 * delayed value, an array, a dataframe or a bag. Brand-checked with a global symbol so two
 * copies of the package still recognise each other's collections.
 */
import type { Graph, Key } from './graph.js';
import type { Layer } from './layer.js';

export const COLLECTION = Symbol.for('dusk.collection');

export interface CollectionSpec {
  /** The top layer; the whole graph is everything reachable from it. */
  readonly layer: Layer;
  /** Output keys, in the order `finalize` expects their values. */
  readonly keys: readonly Key[];
  /** Turns the computed values of `keys` into the user-facing result (runs locally). */
  finalize(values: unknown[]): unknown;
  /** The same collection over another graph with the same keys (used by `persist`). */
  rebuild(layer: Layer): Collection;
  /** A graph pass run before the shared optimizer (e.g. blockwise fusion). */
  optimize?: (graph: Graph, keys: readonly Key[]) => Graph;
}

export interface Collection {
  [COLLECTION](): CollectionSpec;
}

export function isCollection(x: unknown): x is Collection {
  return (
    (typeof x === 'object' || typeof x === 'function') &&
    x !== null &&
    typeof (x as any)[COLLECTION] === 'function'
  );
}
