/** Conformance cases for delayed: the classic patterns. */
import { delayed } from '@dusk/core';
import type { ConformanceCase } from './cases.js';

const inc = delayed((x: number) => x + 1, { pure: true });
const square = delayed((x: number) => x * x, { pure: true });
const total = delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0), { pure: true });

export const cases: ConformanceCase[] = [
  {
    name: 'delayed pipeline stage3(stage2(stage1(5)))',
    build: () => {
      const stage1 = delayed((x: number) => x + 1);
      const stage2 = delayed((x: number) => x * 2);
      const stage3 = delayed((x: number) => x - 3);
      return stage3(stage2(stage1(5)));
    },
    expected: 9,
  },
  {
    name: 'delayed map-reduce sum of squares',
    build: () => total(Array.from({ length: 100 }, (_, i) => square(i))),
    expected: 328350,
  },
  {
    name: 'delayed parallel loop computed together',
    build: () => Array.from({ length: 10 }, (_, i) => inc(i)),
    expected: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  },
  {
    name: 'delayed nested arguments',
    build: () =>
      delayed((o: { a: number; b: number[] }) => o.a + o.b[0]! + o.b[1]!)({
        a: inc(1),
        b: [inc(2), 10],
      }),
    expected: 15,
  },
  {
    name: 'delayed task error carries its key',
    build: () =>
      delayed((x: number) => {
        if (x > 0) throw new RangeError('boom');
        return x;
      })(1),
    errorCode: 'E_TASK_FAILED',
  },
];
