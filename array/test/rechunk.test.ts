import * as da from '@dusk/array';
import { describe, expect, it } from 'vitest';
import { chunkings2d, nested, run } from './helpers.js';

const M = nested([4, 5], (i) => i);

describe('rechunk', () => {
  for (const from of chunkings2d(4, 5)) {
    for (const to of chunkings2d(4, 5)) {
      it(`${JSON.stringify(from)} -> ${JSON.stringify(to)} keeps every value`, async () => {
        const x = da.fromArray(M, { chunks: from }).rechunk(to);
        expect(x.chunks).toEqual(da.normalizeChunks(to, [4, 5]));
        expect(await run(x)).toEqual(M);
      });
    }
  }

  it('is a no-op for the same chunks and works on fused expressions', async () => {
    const x = da.fromArray(M, { chunks: 2 });
    expect(x.rechunk(2)).toBe(x);
    expect(await run(x.mul(2).rechunk([3, -1]).T)).toEqual(
      M[0].map((_: number, j: number) => M.map((r: number[]) => 2 * r[j])),
    );
  });
});
