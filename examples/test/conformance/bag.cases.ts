/** Conformance cases for bags: the MapReduce patterns and every kind of bag graph. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromDelayed, fromSequence, range, readText } from '@dusk/bag';
import { hashKey } from '@dusk/bag/kernels';
import { delayed } from '@dusk/core';
import type { ConformanceCase } from './cases.js';

const dir = mkdtempSync(join(tmpdir(), 'dusk-conformance-bag-'));
writeFileSync(join(dir, 'a.txt'), 'the cat sat\non the mat\n');
writeFileSync(join(dir, 'b.txt.gz'), gzipSync('the end\n'));
writeFileSync(
  join(dir, 'u.data'),
  '196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n',
);

const PEOPLE = [
  { name: 'ann', city: 'Oslo', age: 31 },
  { name: 'bob', city: 'Lima', age: 25 },
  { name: 'cy', city: 'Oslo', age: 40 },
];
/** Pairs in order of first appearance, regrouped as splitOut places them: by hashKey(key). */
function bySplit<K, V>(pairs: [K, V][], splitOut: number): [K, V][] {
  return Array.from({ length: splitOut }, (_, j) =>
    pairs.filter(([k]) => hashKey(k) % splitOut === j),
  ).flat();
}
const RANGE_SUMS: [string, number][] = Array.from({ length: 7 }, (_, g) => [
  `k-${g}`,
  Array.from({ length: 40 }, (_, x) => x)
    .filter((x) => x % 7 === g)
    .reduce((a, b) => a + b, 0),
]);

const byKey = (r: unknown) =>
  [...(r as [unknown, unknown][])].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

export const cases: ConformanceCase[] = [
  {
    name: 'bag map, filter, sum of squares',
    build: () =>
      range(100, { npartitions: 7 })
        .filter((x) => x % 2 === 1)
        .map((x) => x * x)
        .sum({ splitEvery: 3 }),
    expected: Array.from({ length: 50 }, (_, i) => (2 * i + 1) ** 2).reduce((a, b) => a + b, 0),
  },
  {
    name: 'bag word count over text and gzip files',
    build: () =>
      readText(join(dir, '*'), { blocksize: 8 })
        .filter((l) => !l.includes('\t'))
        .str.split()
        .flatten()
        .frequencies({ sort: true }),
    expected: [
      ['the', 3],
      ['cat', 1],
      ['sat', 1],
      ['on', 1],
      ['mat', 1],
      ['end', 1],
    ],
  },
  {
    name: 'bag MovieLens rating counts',
    build: () =>
      readText(join(dir, 'u.data'))
        .map((l) => Number(l.split('\t')[2]))
        .frequencies(),
    expected: [
      [3, 2],
      [1, 1],
    ],
  },
  {
    name: 'bag groupby hash shuffle',
    build: () => range(30, { npartitions: 4 }).groupby((x) => x % 4, { npartitions: 3 }),
    normalize: byKey,
    expected: [0, 1, 2, 3].map((k) => [
      k,
      Array.from({ length: 30 }, (_, i) => i).filter((x) => x % 4 === k),
    ]),
  },
  {
    name: 'bag foldby, topk, distinct, count together',
    build: () => {
      const b = fromSequence(PEOPLE, { npartitions: 2 });
      return [
        b.foldby(
          'city',
          (n: number, p) => n + p.age,
          0,
          (a: number, c: number) => a + c,
        ),
        b.topk(2, 'age'),
        b.pluck('city').distinct(),
        b.count(),
      ];
    },
    expected: [
      [
        ['Oslo', 71],
        ['Lima', 25],
      ],
      [PEOPLE[2], PEOPLE[0]],
      ['Oslo', 'Lima'],
      3,
    ],
  },
  {
    name: 'bag word count and foldby with splitOut (hash-partitioned output)',
    build: () => [
      readText(join(dir, 'a.txt'), { blocksize: 8 })
        .str.split()
        .flatten()
        .frequencies({ splitOut: 3 }),
      range(40, { npartitions: 5 }).foldby(
        (x) => `k-${x % 7}`,
        (a: number, x: number) => a + x,
        0,
        (a: number, b: number) => a + b,
        0,
        { splitOut: 2, splitEvery: 2 },
      ),
    ],
    expected: [
      bySplit(
        [
          ['the', 2],
          ['cat', 1],
          ['sat', 1],
          ['on', 1],
          ['mat', 1],
        ],
        3,
      ),
      bySplit(RANGE_SUMS, 2),
    ],
  },
  {
    name: 'bag mean and std',
    build: () => [
      fromSequence([2, 4, 4, 4, 5, 5, 7, 9], { npartitions: 3 }).mean(),
      fromSequence([2, 4, 4, 4, 5, 5, 7, 9], { npartitions: 3 }).std(),
    ],
    expected: [5, 2],
  },
  {
    name: 'bag repartition, zip and product',
    build: () => {
      const a = range(6, { npartitions: 2 }).repartition(4);
      return [
        a.zip(a.map((x) => x * 10)),
        range(2).product(fromSequence(['x', 'y'], { npartitions: 1 })),
      ];
    },
    expected: [
      [0, 1, 2, 3, 4, 5].map((x) => [x, x * 10]),
      [
        [0, 'x'],
        [0, 'y'],
        [1, 'x'],
        [1, 'y'],
      ],
    ],
  },
  {
    name: 'bag fromDelayed with empty partitions and fold',
    build: () =>
      fromDelayed([delayed([1, 2]), delayed([] as number[]), delayed([3])]).fold(
        (a: number, x: number) => a + x,
        (a: number, b: number) => a + b,
        0,
      ),
    expected: 6,
  },
  {
    name: 'bag pluck of a missing key fails with the task error',
    build: () => fromSequence([{ a: 1 }, { b: 2 }], { npartitions: 2 }).pluck('a'),
    errorCode: 'E_TASK_FAILED',
  },
];
