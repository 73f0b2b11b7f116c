/**
 * Text kernels: string methods, splitting lines into words and the fused word count.
 * Whitespace splitting scans char codes once per line (no regex).
 */
import { DtypeError } from '@dusk/core';
import { describe } from './elementwise.js';
import type { CountsPartial } from './keyed.js';
import { pushWords } from './whitespace.js';
import { WordCounter } from './word-counter.js';

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
 * `str.split(sep).flatten().frequencies()` in one pass: counts the words of each line
 * without building the intermediate array of words. Same words, same order of first
 * appearance, as the three steps one after another.
 */
export function countWordsPartition(
  part: unknown[],
  sep: string | null,
  partition: number,
): CountsPartial {
  if (sep === null) {
    const counter = new WordCounter();
    for (let i = 0; i < part.length; i++) counter.addLine(asString(part[i], 'split', partition, i));
    return counter.result();
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < part.length; i++) {
    const words = asString(part[i], 'split', partition, i).split(sep);
    for (let w = 0; w < words.length; w++) {
      const c = counts.get(words[w]!);
      counts.set(words[w]!, c === undefined ? 1 : c + 1);
    }
  }
  return [[...counts.keys()], Float64Array.from(counts.values())];
}
