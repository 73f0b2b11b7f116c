import {
  ByteWordCounter,
  countWordsPartition,
  isSpace,
  pushWords,
  spaceLength,
  WordCounter,
} from '@dusk/bag/kernels';
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
      Float64Array.of(2, 2, 1),
    ]);
    expect(countWordsPartition(['a,,b', 'b'], ',', 0)).toEqual([
      ['a', '', 'b'],
      Float64Array.of(1, 1, 2),
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

  it('spaceLength recognises exactly \\s in UTF-8', () => {
    const wrong: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const bytes = Buffer.from(String.fromCharCode(c), 'utf8');
      const expected = /\s/.test(String.fromCharCode(c)) ? bytes.length : 0;
      if (spaceLength(bytes, 0, bytes.length) !== expected) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });

  it('ByteWordCounter counts the words of the decoded text, in the same order', () => {
    const pieces = [
      'a',
      'bb',
      'ünï',
      '✓',
      '😀x',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      '\u2003',
      '\u3000',
      '\ufeff',
      '\u0085',
      'é',
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let round = 0; round < 20; round++) {
      let text = '';
      for (let i = 0; i < 400; i++) text += pieces[Math.floor(rand() * pieces.length)];
      const bytes = Buffer.from(text, 'utf8');
      const byBytes = new ByteWordCounter();
      byBytes.addBytes(bytes, 0, bytes.length);
      const byText = new WordCounter();
      byText.addLine(text);
      expect(byBytes.result()).toEqual(byText.result());
    }
  });

  it('ByteWordCounter grows its table and arena', () => {
    const text = Array.from(
      { length: 20000 },
      (_, i) => `word${i % 7000}-${'x'.repeat(i % 30)}`,
    ).join(' ');
    const counter = new ByteWordCounter();
    const bytes = Buffer.from(text);
    counter.addBytes(bytes, 0, bytes.length);
    const expected = new Map<string, number>();
    for (const w of text.split(' ')) expected.set(w, (expected.get(w) ?? 0) + 1);
    const [words, counts] = counter.result();
    expect(words.map((w, i) => [w, counts[i]])).toEqual([...expected]);
  });
});
