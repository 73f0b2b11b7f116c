/**
 * Binding a batch to a generated loop: the loops mask their row bounds to 30 bits (so V8
 * compiles their index arithmetic without overflow checks), and a batch longer than that
 * is refused with an error that says how to split it, never read with wrapped bounds.
 */
import { InputError } from '@dusk/core';
import type * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { bind, type Compiled, MAX_BATCH_ROWS } from '../src/kernels/batch.js';

const loop = { fn: () => 0, calls: 0, inputs: [], aux: [], fns: [], info: null } as Compiled;

describe('bind', () => {
  it('refuses a batch with more rows than the masked bounds can hold', () => {
    const huge = { numRows: MAX_BATCH_ROWS + 1 } as A.RecordBatch;
    expect(() => bind(loop, huge)).toThrow(InputError);
    expect(() => bind(loop, huge)).toThrow(/1073741824 rows .*more partitions/);
  });

  it('takes a batch of exactly the largest size', () => {
    const largest = { numRows: MAX_BATCH_ROWS } as A.RecordBatch;
    expect(bind(loop, largest).n).toBe(MAX_BATCH_ROWS);
  });
});
