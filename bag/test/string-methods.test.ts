import { range } from '@dusk/bag';
import { describe, expect, it } from 'vitest';
import { bagOfParts, cases } from './helpers.js';

const LINES = ['  The Cat ', 'sat\ton  the', '', 'MAT\u00a0end  '];

describe('str methods', () => {
  it.each(cases(LINES))(
    'lower, upper, strip and split match string methods (%s, %s)',
    async (_p, s, b) => {
      expect(await b.str.lower().compute({ scheduler: s })).toEqual(
        LINES.map((l) => l.toLowerCase()),
      );
      expect(await b.str.upper().compute({ scheduler: s })).toEqual(
        LINES.map((l) => l.toUpperCase()),
      );
      expect(await b.str.strip().compute({ scheduler: s })).toEqual(LINES.map((l) => l.trim()));
      expect(await b.str.split().compute({ scheduler: s })).toEqual(
        LINES.map((l) => l.split(/\s+/).filter((w) => w.length > 0)),
      );
      expect(await b.str.split(' ').compute({ scheduler: s })).toEqual(
        LINES.map((l) => l.split(' ')),
      );
    },
  );

  it('names the partition and element that is not a string', async () => {
    await expect(
      bagOfParts<unknown>([['a'], ['b', 7]])
        .str.lower()
        .compute(),
    ).rejects.toThrow(/str\.lower: element 1 of partition 1 is a number \(7\), not a string/);
  });

  it('refuses an empty separator', () => {
    expect(() =>
      range(2)
        .map((x) => String(x))
        .str.split(''),
    ).toThrow(/sep must be a non-empty string/);
  });
});
