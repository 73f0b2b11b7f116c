import { fromSequence, metaColumns, range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { bagOfParts, SCHEDULERS } from './helpers.js';

const PEOPLE = [
  { name: 'ann', age: 31 },
  { name: 'bob', age: 25 },
  { name: 'cy', age: 40 },
];

describe('toDataFrame', () => {
  it.each(SCHEDULERS)('turns records into a frame, partition by partition (%s)', async (s) => {
    const df = await fromSequence(PEOPLE, { npartitions: 2 }).toDataFrame({
      name: 'string',
      age: 'float64',
    });
    expect(df.npartitions).toBe(2);
    const table = await df.compute({ scheduler: s });
    expect(table.toRecords()).toEqual(PEOPLE);
  });

  it('reads tuples in column order, missing keys as null, empty partitions', async () => {
    const b = bagOfParts<unknown>([[['ann', 31]], [], [{ name: 'bob' }]]);
    const df = await b.toDataFrame([
      { name: 'name', dtype: 'string' },
      { name: 'age', dtype: 'float64' },
    ]);
    expect((await df.compute()).toRecords()).toEqual([
      { name: 'ann', age: 31 },
      { name: 'bob', age: null },
    ]);
  });

  it('a bag of single values with a [name, dtype] meta', async () => {
    const df = await range(4, { npartitions: 2 })
      .map((x) => x * 1.5)
      .toDataFrame(['x', 'float64']);
    expect((await df.compute()).toRecords()).toEqual([0, 1.5, 3, 4.5].map((x) => ({ x })));
  });

  it('names the partition of an element that is not a record', async () => {
    const df = await bagOfParts<unknown>([[{ a: 1 }], [2]]).toDataFrame({ a: 'float64' });
    await expect(df.compute()).rejects.toThrow(
      /toDataFrame: element 0 of partition 1 is a number \(2\), not a record/,
    );
  });

  it('reads column names from every meta form', () => {
    expect(metaColumns({ a: 'int32', b: 'string' })).toEqual({ names: ['a', 'b'], single: false });
    expect(metaColumns(['v', 'int32'])).toEqual({ names: ['v'], single: true });
    expect(metaColumns('float64')).toEqual({ names: ['value'], single: true });
  });
});
