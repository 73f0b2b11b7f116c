/**
 * Text kernels: splitting lines into words and the fused word count. Whitespace splitting
 * scans char codes once per line (no regex), and the word count feeds words straight into
 * a Map without building the intermediate array of words.
 */
import { DtypeError } from '@dusk/core';
import { describe } from './elementwise.js';
import type { KeyedPartial } from './keyed.js';

/** JavaScript's `\s`: ASCII whitespace plus the Unicode space separators. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Appends the whitespace-separated words of `line` to `out` (Python's `str.split()`). */
export function pushWords(line: string, out: string[]): void {
  const n = line.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (isSpace(line.charCodeAt(i))) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(line.slice(start));
}

function asString(x: unknown, op: string, partition: number, i: number): string {
  if (typeof x !== 'string') {
    throw new DtypeError(
      `str.${op}: element ${i} of partition ${partition} is ${describe(x)}, not a string. ` +
        'Use map((x) => String(x)) first, or pluck the text field.',
    );
  }
  return x;
}

/** Each string split into a list: on whitespace runs when `sep` is null, else on `sep`. */
export function strSplitPartition(
  part: unknown[],
  sep: string | null,
  partition: number,
): string[][] {
  const out = new Array(part.length);
  for (let i = 0; i < part.length; i++) {
    const s = asString(part[i], 'split', partition, i);
    if (sep === null) {
      const words: string[] = [];
      pushWords(s, words);
      out[i] = words;
    } else out[i] = s.split(sep);
  }
  return out;
}

/** A string method with no arguments applied to each element: lower, upper, strip. */
export function strMethodPartition(
  part: unknown[],
  op: 'lower' | 'upper' | 'strip',
  partition: number,
): string[] {
  const out = new Array(part.length);
  for (let i = 0; i < part.length; i++) {
    const s = asString(part[i], op, partition, i);
    out[i] = op === 'lower' ? s.toLowerCase() : op === 'upper' ? s.toUpperCase() : s.trim();
  }
  return out;
}

/**
 * `str.split(sep).flatten().frequencies()` in one pass: counts the words of each line in a
 * Map. Same words, same order of first appearance, as the three steps one after another.
 */
export function countWordsPartition(
  part: unknown[],
  sep: string | null,
  partition: number,
): KeyedPartial {
  const counts = new Map<string, number>();
  for (let i = 0; i < part.length; i++) {
    const line = asString(part[i], 'split', partition, i);
    if (sep === null) countWhitespaceWords(line, counts);
    else {
      const words = line.split(sep);
      for (let w = 0; w < words.length; w++) bump(counts, words[w]!);
    }
  }
  return [[...counts.keys()], [...counts.values()]];
}

function bump(counts: Map<string, number>, w: string): void {
  const c = counts.get(w);
  counts.set(w, c === undefined ? 1 : c + 1);
}

function countWhitespaceWords(line: string, counts: Map<string, number>): void {
  const n = line.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (isSpace(line.charCodeAt(i))) {
      if (start >= 0) {
        bump(counts, line.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) bump(counts, line.slice(start));
}
