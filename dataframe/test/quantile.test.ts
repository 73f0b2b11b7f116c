// The quantile kernel's sort on its own: the same order as a typed array's sort.
import { describe, expect, it } from 'vitest';
import { sortNumbers } from '../src/kernels/quantile.js';

describe('sortNumbers', () => {
  it('orders like Float64Array sort: signs, zeros, infinities, subnormals, any magnitude', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const special = [-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -1, 1];
    for (const n of [0, 1, 100, 65_536, 200_003]) {
      const a = Float64Array.from({ length: n }, (_, i) =>
        i % 97 === 0
          ? special[i % special.length]!
          : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20),
      );
      const got = sortNumbers(a);
      const want = a.slice().sort();
      expect(got.length).toBe(n);
      // Object.is: -0 before 0, as the typed array sort has it.
      expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true);
      expect(a.length).toBe(n); // the input is left as it was
    }
  });
});
