/**
 * Values the user puts into a bag's graph (its elements, extra arguments, initial values,
 * a pluck default) must reach every scheduler the same: a class instance would arrive at
 * a worker as a plain object without its class, so on threads the partitions the caller
 * runs would see it whole and those a worker runs would not. Such values are refused when
 * the bag is made, on every scheduler, as delayed() refuses such arguments.
 */
import { fromSequence, range } from '@dusk/bag';
import { registerCodec, SerializationError } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { describe, expect, it } from 'vitest';
import { SCHEDULERS } from './helpers.js';

class Point {
  constructor(readonly x: number) {}
  get double(): number {
    return this.x * 2;
  }
}

describe('class instances in a bag', () => {
  it('are refused as elements, naming the element, the class and what to do', () => {
    const make = () => fromSequence([{ x: 0 }, new Point(1)], { npartitions: 2 });
    expect(make).toThrow(SerializationError);
    expect(make).toThrow(/fromSequence\(\): an element is a Point instance at \[1\]/);
    expect(make).toThrow(/Pass plain data .* or register a codec for Point \(registerCodec\)/);
    expect(() => fromSequence([{ at: [new Point(1)] }])).toThrow(/at \[0\]\.at\[0\]/);
    expect(() => fromSequence(new Set([new Point(2)]))).toThrow(/Point instance at \[0\]/);
  });

  it('are refused as extra arguments, initial values and pluck defaults', () => {
    const b = range(4, { npartitions: 2 });
    expect(() => b.map((x: number, p: Point) => x + p.x, new Point(1))).toThrow(
      /Extra argument 1 of a bag function is a Point instance/,
    );
    expect(() => b.fold((a: Point, _x: number) => a, undefined, new Point(0))).toThrow(
      /The initial value of fold\(\) is a Point instance/,
    );
    expect(() =>
      b.foldby(
        (x: number) => x % 2,
        (a: Point) => a,
        new Point(0),
      ),
    ).toThrow(/The initial value of foldby\(\) is a Point instance/);
    expect(() => fromSequence([{ a: 1 }]).pluck('b', new Point(0))).toThrow(
      /The default value of pluck\(\) is a Point instance/,
    );
  });

  it('leaves plain data, the built-ins that keep their type and values with a codec alone', async () => {
    class Tagged {
      constructor(readonly tag: string) {}
    }
    registerCodec<Tagged>({
      name: 'test-bag-tagged',
      module: 'test-bag-tagged-module',
      test: (v): v is Tagged => v instanceof Tagged,
      encode: (v) => ({ header: v.tag, buffers: [] }),
      decode: (h) => new Tagged(h as string),
    });
    expect(() => fromSequence([new Tagged('a')])).not.toThrow();
    const items = [
      { d: new Date(0), m: new Map([[1, 'one']]), s: new Set([1]), f: Float64Array.of(1.5) },
      { d: new Date(1), m: new Map(), s: new Set(), f: new Float64Array(0) },
      [1, 'two', null],
    ];
    for (const scheduler of SCHEDULERS) {
      const b = fromSequence(items, { npartitions: 3 });
      const [n, firsts] = await compute(
        b.count(),
        b.filter((x: any) => !Array.isArray(x)).map((x: any) => x.d.getTime() + x.f.length),
        { scheduler, workers: 2 },
      );
      expect(n, scheduler).toBe(3);
      expect(firsts, scheduler).toEqual([1, 1]);
    }
  });
});
