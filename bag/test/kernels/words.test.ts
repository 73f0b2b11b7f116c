import { countWordsPartition, isSpace, pushWords } from '@dusk/bag/kernels';
import { describe, expect, it } from 'vitest';

describe('word kernels', () => {
  it('isSpace is exactly JavaScript \\s', () => {
    const wrong: number[] = [];
    for (let c = 0; c < 0x10000; c++)
      if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  it('pushWords splits on whitespace runs like Python str.split()', () => {
    for (const line of ['', '   ', 'a', ' a  b\tc\n', 'x\u3000y\u00a0z', 'tail ']) {
      const out: string[] = [];
      pushWords(line, out);
      expect(out).toEqual(line.split(/\s+/).filter((w) => w.length > 0));
    }
  });

  it('countWordsPartition counts in order of first appearance', () => {
    expect(countWordsPartition(['b a b', ' a c '], null, 0)).toEqual([
      ['b', 'a', 'c'],
      [2, 2, 1],
    ]);
    expect(countWordsPartition(['a,,b', 'b'], ',', 0)).toEqual([
      ['a', '', 'b'],
      [1, 1, 2],
    ]);
    expect(() => countWordsPartition(['ok', 3], null, 4)).toThrow(
      /element 1 of partition 4 is a number/,
    );
  });
});
