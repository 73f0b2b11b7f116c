import { lossyPart, refuseLossy, SerializationError } from '@dusk/core';
import { describe, expect, it } from 'vitest';

class Point {
  constructor(readonly x = 0) {}
}

describe('lossyPart', () => {
  it('finds the first class instance and the path to it', () => {
    expect(lossyPart(new Point())).toEqual({ path: '(the result)', className: 'Point' });
    expect(lossyPart([{ a: 1 }, { a: [2, new Point()] }])).toEqual({
      path: '[1].a[1]',
      className: 'Point',
    });
    expect(lossyPart({ m: new Map([['k', new Point()]]) })?.path).toBe('.m<entry>');
    expect(lossyPart(new Set([1, new Point()]))?.path).toBe('<entry>');
  });

  it('passes plain data and the built-ins that keep their type', () => {
    const plain = {
      n: 1,
      s: 'a',
      d: new Date(0),
      r: /x/,
      f: Float64Array.of(1),
      b: new ArrayBuffer(2),
      e: new Error('e'),
      m: new Map([[1, { a: [1] }]]),
      nul: Object.create(null),
    };
    expect(lossyPart(plain)).toBeUndefined();
    expect(lossyPart([new Point()], (v) => v instanceof Point)).toBeUndefined();
  });

  it('ends on cycles, on values reached by very many paths, and on deep nesting', () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    cyc.list = [cyc, { b: 2 }];
    expect(lossyPart(cyc)).toBeUndefined();
    expect(lossyPart({ cyc, bad: [new Point()] })?.path).toBe('.bad[0]');
    // 2^40 paths to one object: walked once each after the first 8M visits.
    let dag: unknown = { leaf: 1 };
    for (let i = 0; i < 40; i++) dag = [dag, dag];
    expect(lossyPart(dag)).toBeUndefined();
    let chain: Record<string, unknown> = { p: new Point() };
    for (let i = 0; i < 1000; i++) chain = { next: chain };
    expect(lossyPart(chain)).toEqual({ path: `${'.next'.repeat(1000)}.p`, className: 'Point' });
  });

  it('refuseLossy throws a SerializationError saying where, what and how to fix it', () => {
    expect(() => refuseLossy([{ a: 1 }], 'The value')).not.toThrow();
    expect(() => refuseLossy([{ a: new Point() }], 'The value')).toThrow(SerializationError);
    expect(() => refuseLossy([{ a: new Point() }], 'The value')).toThrow(
      /^The value is a Point instance at \[0\]\.a, which a worker thread or process would receive as a plain object without its class\. .*register a codec for Point/,
    );
  });
});
