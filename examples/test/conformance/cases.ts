/**
 * The shape of a conformance case: a collection (or several) built fresh for each run,
 * and how to turn its result into plain data for comparison. Every `*.cases.ts` file in
 * this folder exports `cases: ConformanceCase[]`; conformance.test.ts runs each on every
 * registered scheduler and worker count and checks it matches the sync scheduler.
 */
import type { Collection } from '@dusk/core';

export interface ConformanceCase {
  name: string;
  /** Builds the collections to compute (called once per scheduler run). */
  build: () => Collection | Collection[];
  /** Plain data to compare (default: the result itself); e.g. table -> records. */
  normalize?: (result: unknown) => unknown;
  /** An independent expected value (plain loop, closed form), checked on every scheduler. */
  expected?: unknown;
  /** The compute must fail with this error code on every scheduler instead. */
  errorCode?: string;
}
