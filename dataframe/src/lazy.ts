/**
 * A lazy result that is not a frame: a scalar reduction, several reductions gathered into a
 * series, describe(). Like core's Delayed, it is one or more keys in a graph plus how to
 * turn their values into what the user sees.
 */
import {
  COLLECTION,
  type Collection,
  type CollectionSpec,
  type ComputeOptions,
  type Graph,
  type GraphPass,
  getComputeEngine,
  type Key,
  type Layer,
  TOKEN,
} from '@dusk/core';

/** Runs every pass in order (the graph passes of the sources a result reads). */
export function composePasses(passes: readonly GraphPass[]): GraphPass | undefined {
  const uniq = [...new Set(passes)];
  if (uniq.length === 0) return undefined;
  return (g: Graph, keys: readonly Key[]) => uniq.reduce((acc, p) => p(acc, keys), g);
}

/**
 * A lazy value.
 * @example const m = df.col('price').mean(); await m.compute(); // 252.4
 */
export class Lazy<T = unknown> implements Collection {
  constructor(
    readonly keys: readonly Key[],
    readonly layer: Layer,
    private readonly finish: (values: unknown[]) => T,
    private readonly passes: readonly GraphPass[] = [],
  ) {}

  [COLLECTION](): CollectionSpec {
    return {
      layer: this.layer,
      keys: this.keys,
      finalize: (values) => this.finish(values),
      rebuild: (l) => new Lazy(this.keys, l, this.finish),
      optimize: composePasses(this.passes),
    };
  }

  [TOKEN](): string {
    return this.keys.join(',');
  }

  /** Computes the value. */
  async compute(opts?: ComputeOptions): Promise<T> {
    const engine = await getComputeEngine();
    return (await engine.compute([this], opts))[0] as T;
  }

  toString(): string {
    return `Lazy(${this.keys.join(', ')})`;
  }
}
