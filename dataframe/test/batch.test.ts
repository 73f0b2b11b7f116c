/**
 * Binding a batch to a generated loop: the loops mask their row bounds to 30 bits (so V8
 * compiles their index arithmetic without overflow checks), and a batch longer than that
 * is refused with an error that says how to split it, never read with wrapped bounds.
 * Loops of different keys with the same code share one function (V8 compiles it once),
 * unless they read other column types or call user functions.
 */
import { InputError } from '@dusk/core';
import type * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { bind, type Compiled, compile, MAX_BATCH_ROWS } from '../src/kernels/batch.js';
import { Gen } from '../src/kernels/codegen.js';

const loop = {
  fn: () => 0,
  ramp: { calls: 0 },
  inputs: [],
  aux: [],
  fns: [],
  info: null,
} as Compiled;

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

describe('compile', () => {
  /** A loop summing the first input, over a column of `ctor` values; `fn`: a user function. */
  function sumLoop(key: string, ctor: string, fn = false): Compiled {
    const g = new Gen(() => ({ kind: 'num', nullable: false, ctor }));
    g.input('x');
    if (fn) g.fns.push({ fn: { module: 'm', name: 'f' }, dtype: 'float64' });
    return compile(`test|${key}|${ctor}|${fn}`, g, () => ({
      code: 'let s = 0; for (let i = lo; i < n; i++) s += c0[i]; S.out[0] = s;',
    }));
  }

  it('gives loops with the same code over the same types one function and one warm-up', () => {
    const a = sumLoop('a', 'Float64Array');
    const b = sumLoop('b', 'Float64Array');
    expect(a).not.toBe(b);
    expect(b.fn).toBe(a.fn);
    expect(b.ramp).toBe(a.ramp);
    const S = { out: new Float64Array(1) };
    b.fn([new Float64Array([1, 2, 3])], [null], [0], [], [], () => undefined as never, 3, S, 0);
    expect(S.out[0]).toBe(6);
  });

  it('keeps loops over other column types or with user functions apart', () => {
    const f64 = sumLoop('c', 'Float64Array');
    expect(sumLoop('d', 'Int32Array').fn).not.toBe(f64.fn);
    expect(sumLoop('e', 'Float64Array', true).fn).not.toBe(f64.fn);
    expect(sumLoop('f', 'Float64Array', true).fn).not.toBe(sumLoop('g', 'Float64Array', true).fn);
  });
});
