import { registerCodec } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { sizeOf } from '../src/local/sizes.js';

describe('sizeOf', () => {
  it('sizes typed arrays exactly and plain containers by what they hold', () => {
    expect(sizeOf(new Float64Array(100))).toBe(800);
    expect(sizeOf(new Int32Array(new SharedArrayBuffer(64), 16, 4))).toBe(16);
    expect(sizeOf({ a: new Float64Array(10) })).toBeGreaterThanOrEqual(80);
    expect(sizeOf([new Uint8Array(1000), new Uint8Array(1000)])).toBe(2000);
  });

  it("asks a codec how many bytes a value holds instead of walking the value's objects", () => {
    class Sized {
      // Many keys, each holding a sizeable array: a walk would count them all.
      readonly parts = Array.from({ length: 10 }, () => new Float64Array(100));
      constructor(readonly bytes: number) {}
    }
    registerCodec<Sized>({
      name: 'test-sized',
      module: 'test-sized-module',
      test: (v): v is Sized => v instanceof Sized,
      encode: (v) => ({ header: v.bytes, buffers: [] }),
      decode: (h) => new Sized(h as number),
      nbytes: (v) => v.bytes,
    });
    expect(sizeOf(new Sized(123))).toBe(123);
    expect(sizeOf({ nested: new Sized(7) })).toBeGreaterThanOrEqual(7);
    expect(sizeOf({ nested: new Sized(7) })).toBeLessThan(100);
  });

  it('walks a value whose codec cannot size it (nbytes throws): an estimate never fails a task', () => {
    class Broken {
      readonly data = new Float64Array(50);
    }
    registerCodec<Broken>({
      name: 'test-broken-size',
      module: 'test-broken-size-module',
      test: (v): v is Broken => v instanceof Broken,
      encode: () => ({ header: null, buffers: [] }),
      decode: () => new Broken(),
      nbytes: () => {
        throw new Error('no size');
      },
    });
    expect(sizeOf(new Broken())).toBeGreaterThanOrEqual(400);
  });
});
