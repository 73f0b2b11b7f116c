/**
 * `bag.str`: string methods on every element, as in Dask (`b.str.split()`, `b.str.lower()`).
 * They run as built-in kernels, and `str.split().flatten().frequencies()` is recognised and
 * counted in one pass (see keyed.ts).
 */
import { InvalidArgumentError, task } from '@dusk/core';
import type { Bag } from './bag.js';
import { blockwise } from './blockwise.js';
import { kernel } from './kernel-ref.js';

const SPLIT = kernel('strSplitPartition');
const METHOD = kernel('strMethodPartition');

/** String methods of a bag of strings. */
export class StringMethods {
  constructor(private readonly bag: Bag<unknown>) {}

  /**
   * Each string as a list of words: split on runs of whitespace (Python's `str.split()`),
   * or on `sep` exactly.
   * @example readText('a.txt').str.split().flatten().frequencies()
   */
  split(sep?: string): Bag<string[]> {
    if (sep !== undefined && (typeof sep !== 'string' || sep.length === 0)) {
      throw new InvalidArgumentError(
        `str.split(sep): sep must be a non-empty string, or omitted to split on whitespace (got ${JSON.stringify(sep)}).`,
      );
    }
    const s = sep ?? null;
    return blockwise<string[]>(this.bag, {
      op: 'str-split',
      token: [s],
      task: (part, i) => task(SPLIT, [part, s, i]),
      origin: { op: 'strSplit', input: this.bag, sep: s },
    });
  }

  /** @example b.str.lower() */
  lower(): Bag<string> {
    return this.method('lower');
  }
  /** @example b.str.upper() */
  upper(): Bag<string> {
    return this.method('upper');
  }
  /** Removes whitespace at both ends. @example b.str.strip() */
  strip(): Bag<string> {
    return this.method('strip');
  }

  private method(op: 'lower' | 'upper' | 'strip'): Bag<string> {
    return blockwise<string>(this.bag, {
      op: `str-${op}`,
      token: [],
      task: (part, i) => task(METHOD, [part, op, i]),
    });
  }
}
