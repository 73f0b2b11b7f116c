import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ByteWordCounter,
  countWordsBlock,
  hashKey,
  hashUtf8,
  keyedSplit,
  type WordCounts,
  wordCountsAggregate,
  wordCountsCombine,
  wordCountsSplit,
} from '@dusk/bag/kernels';
import { describe, expect, it } from 'vitest';

/** FNV-1a over the bytes Buffer.from gives: the reference for hashUtf8. */
function fnvBytes(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193);
  return h | 0;
}

function countsOf(text: string): WordCounts {
  const c = new ByteWordCounter();
  const bytes = Buffer.from(text, 'utf8');
  c.addBytes(bytes, 0, bytes.length);
  return c.toWordCounts();
}

const TEXTS = ['b a-b a|b b', 'ünï 😀x b', '', 'c b ünï c', 'a'.repeat(40)];

describe('word-count partials', () => {
  it('hashUtf8 is FNV-1a of the UTF-8 bytes, lone surrogates as U+FFFD', () => {
    for (const t of ['', 'abc', 'a-b|c', 'ü', '✓', '😀', 'x\ud800y', '\udc00', 'z\ud83d']) {
      expect(hashUtf8(t)).toBe(fnvBytes(t));
    }
    expect(hashKey(12)).toBe(hashKey('12'));
    expect(hashKey([1, 'a'])).toBe(fnvBytes('[1,"a"]') >>> 0);
  });

  it('tells apart words of one length and one hash (compared on their bytes)', () => {
    const pairs = [
      ['xciqwd', 'andtvc'],
      ['dhutwdlsz', 'gwpyyfnub'],
    ];
    for (const [a, b] of pairs) expect(hashUtf8(a!)).toBe(hashUtf8(b!));
    const text = 'xciqwd andtvc xciqwd gwpyyfnub dhutwdlsz gwpyyfnub andtvc andtvc';
    const parts = [countsOf(text), countsOf('andtvc dhutwdlsz')];
    expect(wordCountsAggregate(parts, false)).toEqual([
      ['xciqwd', 2],
      ['andtvc', 4],
      ['gwpyyfnub', 2],
      ['dhutwdlsz', 2],
    ]);
  });

  it('stores each word with the hash hashKey gives its string', () => {
    const wc = countsOf('ünï 😀x a-b');
    expect([...wc.hashes]).toEqual(['ünï', '😀x', 'a-b'].map((w) => hashKey(w) | 0));
  });

  it('combine and aggregate equal counting the whole text at once', () => {
    const whole = new ByteWordCounter();
    const all = Buffer.from(TEXTS.join(' '), 'utf8');
    whole.addBytes(all, 0, all.length);
    const [words, counts] = whole.result();
    const expected = words.map((w, i) => [w, counts[i]]);
    const parts = TEXTS.map(countsOf);
    expect(wordCountsAggregate(parts, false)).toEqual(expected);
    expect(
      wordCountsAggregate([wordCountsCombine(parts.slice(0, 2)), ...parts.slice(2)], false),
    ).toEqual(expected);
    expect(wordCountsAggregate(parts, true).map(([, n]) => n)).toEqual(
      [...counts].sort((a, b) => b - a),
    );
  });

  it('split puts each word in partition hashKey % n, keeping order and counts', () => {
    const wc = wordCountsCombine(TEXTS.map(countsOf));
    const all = wordCountsAggregate([wc], false);
    const pieces = wordCountsSplit(wc, 3);
    for (let j = 0; j < 3; j++) {
      expect(wordCountsAggregate([pieces[j]!], false)).toEqual(
        all.filter(([w]) => hashKey(w) % 3 === j),
      );
    }
  });

  it('keyedSplit splits [keys, values] the same way, counts staying a Float64Array', () => {
    const keys = ['a', 1, '1', [2], 'a-b'];
    const pieces = keyedSplit([keys, Float64Array.of(1, 2, 3, 4, 5)], 2);
    for (let j = 0; j < 2; j++) {
      const idx = keys.map((k, i) => [k, i] as const).filter(([k]) => hashKey(k) % 2 === j);
      expect(pieces[j]).toEqual([
        idx.map(([k]) => k),
        Float64Array.from(idx.map(([, i]) => i + 1)),
      ]);
    }
    expect(
      keyedSplit([['x'], [{ acc: 1 }]], 3).flatMap(([k, v]) => [...k, ...Array.from(v)]),
    ).toEqual(['x', { acc: 1 }]);
  });
});

describe('countWordsBlock', () => {
  it('counts each block on its own although the counter is reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dusk-bag-wc-'));
    const big = join(dir, 'big.txt');
    writeFileSync(big, Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' '));
    const small = join(dir, 'small.txt');
    writeFileSync(small, 'b a b\n');
    const opts = { encoding: 'utf8' as const, includePath: false };
    expect(wordCountsAggregate([countWordsBlock(big, 0, 1e6, opts)], false)).toHaveLength(5000);
    expect(wordCountsAggregate([countWordsBlock(small, 0, 6, opts)], false)).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });
});
