import { describe, expect, it } from 'vitest';
import {
  exponent,
  fixed,
  pyFloat,
  pyFloatRepr,
  pyPrintLine,
  pyStr,
  tuple,
} from '../../dist/notebook/py-format.js';

// Expected strings are what CPython 3.11 prints for the same doubles.
describe('fixed (format(x, ".Nf"))', () => {
  it.each([
    [0.125, 2, '0.12'],
    [2.675, 2, '2.67'],
    [1234.5, 2, '1234.50'],
    [1.005, 2, '1.00'],
    [123456789.125, 2, '123456789.12'],
    [9.9999999, 2, '10.00'],
    [5e-324, 2, '0.00'],
    [-0, 2, '-0.00'],
    [0.5, 0, '0'],
    [2.675, 0, '3'],
    [1e22, 2, '10000000000000000000000.00'],
  ])('%s with %i digits -> %s', (x, d, want) => {
    expect(fixed(x, d)).toBe(want);
  });

  it('prints a leading space for the sign with space=true', () => {
    expect(fixed(0.125, 6, true)).toBe(' 0.125000');
    expect(fixed(-0, 6, true)).toBe('-0.000000');
    expect(fixed(-5.2, 1, true)).toBe('-5.2');
  });

  it('prints nan and inf as Python does', () => {
    expect(fixed(Number.NaN, 2)).toBe('nan');
    expect(fixed(Number.POSITIVE_INFINITY, 2)).toBe('inf');
    expect(fixed(Number.NEGATIVE_INFINITY, 2)).toBe('-inf');
  });

  it('refuses a bad digit count', () => {
    expect(() => fixed(1, -1)).toThrow(/digits must be an integer/);
  });
});

describe('exponent (format(x, ".Ne"))', () => {
  it.each([
    [0.125, 6, '1.250000e-01'],
    [1e22, 6, '1.000000e+22'],
    [-0, 6, '-0.000000e+00'],
    [1234.5, 3, '1.234e+03'],
    [123456789.125, 3, '1.235e+08'],
    [5e-324, 6, '4.940656e-324'],
    [1.7976931348623157e308, 6, '1.797693e+308'],
    [9.9999999, 6, '1.000000e+01'],
    [0.0001, 3, '1.000e-04'],
  ])('%s with %i digits -> %s', (x, d, want) => {
    expect(exponent(x, d)).toBe(want);
  });
});

describe('pyFloatRepr (repr(float))', () => {
  it.each([
    [0.125, '0.125'],
    [2, '2.0'],
    [1e22, '1e+22'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1234567890123456, '1234567890123456.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-0, '-0.0'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [123456789.125, '123456789.125'],
  ])('%s -> %s', (x, want) => {
    expect(pyFloatRepr(x)).toBe(want);
  });
});

describe('pyStr and print', () => {
  it('prints containers like Python', () => {
    expect(pyStr([0, 1, 2])).toBe('[0, 1, 2]');
    expect(pyStr(tuple(9))).toBe('(9,)');
    expect(pyStr(tuple(1, 2))).toBe('(1, 2)');
    expect(pyStr({ a: 1, b: [pyFloat(1.5)] })).toBe("{'a': 1, 'b': [1.5]}");
    expect(pyStr(['x', "it's"])).toBe(`['x', "it's"]`);
    expect(pyStr(true)).toBe('True');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(pyFloat(2))).toBe('2.0');
    expect(pyStr(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('joins print arguments with a space, as print does', () => {
    expect(pyPrintLine(['\nTotal:\n', 5])).toBe('\nTotal:\n 5');
  });
});
