import { KeyNotFoundError, range } from '@dusk/bag';
import { delayed, FreeVariableError } from '@dusk/core';
import { describe, expect, it } from 'vitest';
import { fns } from './fixtures/user-fns.mjs';
import { bagOfParts, cases, MIXED, run, SCHEDULERS } from './helpers.js';

const NUMS = [3, -1, 4, 1, -5, 9, 2, 6];

describe('map, filter, flatMap, flatten, mapPartitions', () => {
  it.each(cases(NUMS))('map and filter match array code (%s, %s)', async (_p, s, b) => {
    expect(
      await run(
        b.map((x) => x * 2 + 1),
        s,
      ),
    ).toEqual(NUMS.map((x) => x * 2 + 1));
    expect(
      await run(
        b.filter((x) => x > 0),
        s,
      ),
    ).toEqual(NUMS.filter((x) => x > 0));
  });

  it.each(cases(MIXED))('map keeps values of mixed shapes (%s, %s)', async (_p, s, b) => {
    const typeOf = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);
    expect(await run(b.map(typeOf), s)).toEqual(MIXED.map(typeOf));
    expect(await run(b, s)).toEqual(MIXED);
  });

  it.each(cases(NUMS))('flatMap and flatten match array code (%s, %s)', async (_p, s, b) => {
    const expected = NUMS.flatMap((x) => (x > 0 ? [x, x] : []));
    expect(
      await run(
        b.flatMap((x) => (x > 0 ? [x, x] : [])),
        s,
      ),
    ).toEqual(expected);
    expect(await run(b.map((x) => (x > 0 ? [x, x] : [])).flatten(), s)).toEqual(expected);
  });

  it.each(SCHEDULERS)('mapPartitions sees whole partitions (%s)', async (s) => {
    const b = bagOfParts([[1, 2], [], [3]]);
    expect(
      await run(
        b.mapPartitions((part) => [part.length]),
        s,
      ),
    ).toEqual([2, 0, 1]);
  });

  it('works on a bag of one element', async () => {
    const b = range(1);
    expect(
      await b
        .map((x) => x + 1)
        .filter((x) => x > 0)
        .flatMap((x) => [x, x])
        .compute(),
    ).toEqual([1, 1]);
  });

  it('passes extra arguments, plain or delayed, to the function', async () => {
    const b = range(4, { npartitions: 2 });
    expect(await b.map((x, k: number) => x * k, 10).compute()).toEqual([0, 10, 20, 30]);
    const threshold = delayed((x: number) => x + 1)(1);
    expect(await b.filter((x, t: number) => x >= t, threshold).compute()).toEqual([2, 3]);
  });

  it('takes a reduction of another bag as an extra argument, and refuses a whole bag', async () => {
    const b = range(4, { npartitions: 2 });
    expect(await b.map((x, total: number) => x / total, b.sum()).compute()).toEqual([
      0,
      1 / 6,
      2 / 6,
      3 / 6,
    ]);
    expect(() => b.map((x, other: unknown) => [x, other], b)).toThrow(
      /a whole collection cannot be passed/,
    );
  });

  it('refuses a lambda that uses an outside variable, naming it, when the bag is built', () => {
    const factor = 3;
    expect(() => range(3).map((x) => x * factor)).toThrow(FreeVariableError);
    expect(() => range(3).filter((x) => x > factor)).toThrow(/uses 'factor' from its surroundings/);
  });

  it.each(SCHEDULERS)('runs functions declared with tasks(import.meta.url) (%s)', async (s) => {
    expect(await run(range(6, { npartitions: 3 }).filter(fns.isEven), s)).toEqual([0, 2, 4]);
  });

  it('flatten and flatMap name the partition and element that is not an array', async () => {
    const b = bagOfParts([[[1]], [[2], 3]]);
    await expect(b.flatten().compute()).rejects.toThrow(
      /flatten: for element 1 of partition 1 the element is a number \(3\), not an array/,
    );
    await expect(
      bagOfParts([[1]])
        .flatMap((x) => (x + 1) as unknown as number[])
        .compute(),
    ).rejects.toThrow(/flatMap: for element 0 of partition 0 the function returned a number/);
  });

  it('mapPartitions must return an array', async () => {
    await expect(
      range(2)
        .mapPartitions((p) => p.length)
        .compute(),
    ).rejects.toMatchObject({
      code: 'E_TASK_FAILED',
      message: expect.stringMatching(
        /mapPartitions: the function returned a number \(1\) for partition [01]/,
      ),
    });
  });

  it('does not mutate its input partitions', async () => {
    const part = [{ n: 1 }, { n: 2 }];
    const b = bagOfParts([part]);
    await b.map((r) => ({ ...r, n: r.n + 1 })).compute();
    await b.filter((r) => r.n > 1).compute();
    expect(part).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('pluck', () => {
  const records = [
    { name: 'ann', age: 31 },
    { name: 'bob', age: 25 },
    { name: 'cy', age: 40 },
  ];

  it.each(cases(records))('picks one key or a tuple of keys (%s, %s)', async (_p, s, b) => {
    expect(await run(b.pluck('name'), s)).toEqual(records.map((r) => r.name));
    expect(await run(b.pluck(['age', 'name']), s)).toEqual(records.map((r) => [r.age, r.name]));
  });

  it('picks array items by index', async () => {
    expect(
      await bagOfParts([
        [
          [1, 'a'],
          [2, 'b'],
        ],
      ])
        .pluck(1)
        .compute(),
    ).toEqual(['a', 'b']);
  });

  it('names the missing key and the partition', async () => {
    const b = bagOfParts([[{ a: 1 }], [{ a: 2 }, { b: 3 }]]);
    const err = await b
      .pluck('a')
      .compute()
      .catch((e) => e);
    expect(err.code).toBe('E_TASK_FAILED');
    expect(err.message).toMatch(
      /Key 'a' is missing from element 1 of partition 1 \(its keys: 'b'\)/,
    );
    // Kernels load through the workers' module loader: compare by name and code, not instanceof.
    expect(err.cause.name).toBe(KeyNotFoundError.name);
    expect(err.cause.code).toBe('E_KEY_NOT_FOUND');
  });

  it('uses the default for a missing key when one is given', async () => {
    const b = bagOfParts([[{ a: 1 }, { b: 3 }, null]]);
    expect(await b.pluck('a', null).compute()).toEqual([1, null, null]);
  });

  it('refuses a bad key when the bag is built', () => {
    expect(() => range(2).pluck([] as string[])).toThrow(
      /key must be a string, a number or a non-empty list/,
    );
  });
});
