/**
 * The word count's combine, split and aggregate over `WordCounts` columns: partials merge
 * on their bytes and stored hashes (no string per word), and each distinct word becomes a
 * string once, in the task that makes the final pairs.
 */
import { allocate } from '@dusk/core';
import { ByteWordCounter, type WordCounts } from './byte-word-counter.js';
import { countPairs } from './keyed.js';

/** Adds up word-count partials, words in order of first appearance. */
export function wordCountsCombine(partials: WordCounts[]): WordCounts {
  if (partials.length === 1) return partials[0]!;
  const counter = new ByteWordCounter();
  for (const p of partials) counter.addCounts(p);
  return counter.toWordCounts();
}

/** `[word, count]` pairs of the merged partials; most frequent first when `sort`. */
export function wordCountsAggregate(partials: WordCounts[], sort: boolean): [string, number][] {
  const counter = new ByteWordCounter();
  for (const p of partials) counter.addCounts(p);
  const [words, counts] = counter.result();
  return countPairs(words, counts, sort) as [string, number][];
}

/**
 * `nOut` partials, word `w` in partial `(hash(w) >>> 0) % nOut`: the bucket `hashKey` gives
 * the word's string, so a word lands where the generic path would put it.
 */
export function wordCountsSplit(wc: WordCounts, nOut: number): WordCounts[] {
  const n = wc.ends.length;
  const bucket = new Int32Array(n);
  const words = new Int32Array(nOut);
  const bytes = new Int32Array(nOut);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const b = (wc.hashes[i]! >>> 0) % nOut;
    bucket[i] = b;
    words[b]!++;
    bytes[b]! += wc.ends[i]! - start;
    start = wc.ends[i]!;
  }
  const out: WordCounts[] = [];
  for (let b = 0; b < nOut; b++) {
    out.push({
      bytes: allocate(Uint8Array, bytes[b]!),
      ends: allocate(Int32Array, words[b]!),
      hashes: allocate(Int32Array, words[b]!),
      counts: allocate(Float64Array, words[b]!),
    });
  }
  fillBuckets(wc, bucket, out);
  return out;
}

function fillBuckets(wc: WordCounts, bucket: Int32Array, out: WordCounts[]): void {
  const nextWord = new Int32Array(out.length);
  const nextByte = new Int32Array(out.length);
  let start = 0;
  for (let i = 0; i < bucket.length; i++) {
    const b = bucket[i]!;
    const o = out[b]!;
    const end = wc.ends[i]!;
    let at = nextByte[b]!;
    for (let k = start; k < end; k++) o.bytes[at++] = wc.bytes[k]!;
    nextByte[b] = at;
    const w = nextWord[b]!++;
    o.ends[w] = nextByte[b]!;
    o.hashes[w] = wc.hashes[i]!;
    o.counts[w] = wc.counts[i]!;
    start = end;
  }
}
