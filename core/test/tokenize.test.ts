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

  it('tells apart strings by every code unit, lone surrogates and long strings included', () => {
    expect(tokenize('\uD800')).not.toBe(tokenize('\uDBFF'));
    expect(tokenize(['\uD800', '\uDC00'])).not.toBe(tokenize(['\uD800\uDC00']));
    const long = 'x'.repeat(5000);
    expect(tokenize(`${long}a`)).toBe(tokenize(`${long}a`));
    expect(tokenize(`${long}a`)).not.toBe(tokenize(`${long}b`));
    expect(tokenize({ a: 1 })).not.toBe(tokenize(['a', 1]));
    expect(tokenize([1, [2]])).not.toBe(tokenize([[1], 2]));
    expect(tokenize(Number.NaN)).toBe(tokenize(0 / 0));
    expect(tokenize(new Date(3))).not.toBe(tokenize(3));
  });

  it('is the same for equal long lists, which pass through its buffer many times', () => {
    const a = Array.from({ length: 200_000 }, (_, i) => ({ id: i, s: `w${i % 97}` }));
    const b = a.map((r) => ({ s: r.s, id: r.id }));
    expect(tokenize(a)).toBe(tokenize(b));
    b[150_000]!.id = -1;
    expect(tokenize(a)).not.toBe(tokenize(b));
    expect(tokenize(a)).toMatch(/^[0-9a-f]{32}$/);
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
