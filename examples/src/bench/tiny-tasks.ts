/**
 * The tiny-task graph both scheduler benchmarks time: the parallel-loop shape, `n`
 * independent calls and one sum, built lazily (`build`) and once materialized (`graph`,
 * `keys`) for compute-only runs.
 */
import { COLLECTION, delayed, materialize } from '@dusk/core';

/** A builder for n tiny calls and their sum, and one built copy's graph. */
export function tinyTasks(n: number, opts: { pure?: boolean } = {}) {
  const inc = delayed((x: number) => x + 1, opts);
  const sum = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
  const build = () => sum(Array.from({ length: n }, (_, i) => inc(i)));
  const prebuilt = build();
  return {
    build,
    graph: materialize([prebuilt[COLLECTION]().layer]),
    keys: [prebuilt.key],
    /** The sum the graph computes. */
    expected: (n * (n + 1)) / 2,
  };
}
