import { countWordsPartition, isSpace, pushWords, WordCounter } from '@dusk/bag/kernels';
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

  it('WordCounter agrees with a Map count across table growth', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++)
      lines.push(`w${i % 9001} x${(i * 7919) % 5003}\tw${i % 17} ü${i % 3}`);
    const counter = new WordCounter();
    const expected = new Map<string, number>();
    for (const line of lines) {
      counter.addLine(line);
      for (const w of line.split(/\s+/)) expected.set(w, (expected.get(w) ?? 0) + 1);
    }
    const [words, counts] = counter.result();
    expect(words.map((w, i) => [w, counts[i]])).toEqual([...expected]);
    expect(words.length).toBeGreaterThan(4096);
  });
});
