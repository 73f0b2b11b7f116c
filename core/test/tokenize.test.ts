import { delayed, TOKENIZE_FULL_BYTES, tokenize } from '@dusk/core';
import { describe, expect, it } from 'vitest';

describe('tokenize', () => {
  it('is deterministic for equal values', () => {
    expect(tokenize(1, 'a', [1, 2], { b: 1, a: 2 })).toBe(tokenize(1, 'a', [1, 2], { a: 2, b: 1 }));
    expect(tokenize(new Float64Array([1, 2]))).toBe(tokenize(new Float64Array([1, 2])));
    expect(tokenize(new Map([[1, 'x']]))).toBe(tokenize(new Map([[1, 'x']])));
  });

  it('tells apart values that print alike', () => {
    const distinct = [
      tokenize(1),
      tokenize('1'),
      tokenize([1]),
      tokenize(-0),
      tokenize(0),
      tokenize(new Float64Array([1])),
      tokenize(new Float32Array([1])),
      tokenize(new Int32Array([1, 0])),
      tokenize(['a', 'b']),
      tokenize(['ab']),
      tokenize(null),
      tokenize(undefined),
      tokenize(true),
      tokenize(1n),
    ];
    expect(new Set(distinct).size).toBe(distinct.length);
  });

  it('tokenizes a large typed array by identity, not by content', () => {
    const big = new Uint8Array(TOKENIZE_FULL_BYTES + 1);
    expect(tokenize(big)).toBe(tokenize(big));
    expect(tokenize(big)).not.toBe(tokenize(new Uint8Array(TOKENIZE_FULL_BYTES + 1)));
  });

  it('tokenizes collections by their graph name', () => {
    const f = delayed((x: number) => x, { pure: true });
    expect(tokenize(f(1))).toBe(tokenize(f(1)));
    expect(tokenize(f(1))).not.toBe(tokenize(f(2)));
  });

  it('gives class instances an identity token', () => {
    class P {
      constructor(readonly x: number) {}
    }
    const p = new P(1);
    expect(tokenize(p)).toBe(tokenize(p));
    expect(tokenize(p)).not.toBe(tokenize(new P(1)));
  });
});
