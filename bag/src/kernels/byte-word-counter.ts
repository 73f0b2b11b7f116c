/**
 * Word count straight from UTF-8 bytes: no string per block and no string per word. The
 * scan hashes each word's bytes and looks it up in an open-addressing table; distinct
 * words keep their bytes in an arena and become strings once, at the end (or never, when
 * the counts travel on as `WordCounts` columns). Whitespace is JavaScript's `\s` as UTF-8:
 * ASCII spaces plus the multi-byte Unicode separators, so the words are exactly those of
 * `str.split()` on the decoded text. Input must be valid UTF-8.
 */
import { allocate } from '@dusk/core';
import { FNV_OFFSET, FNV_PRIME } from './hash.js';

// Starts small (a block of real text has thousands of distinct words) and doubles at half
// full, keeping probe chains short.
const INITIAL_CAPACITY = 1 << 12;
const INITIAL_ARENA_BYTES = 1 << 16;

/**
 * Distinct words and their counts as columns: a partial that crosses threads as a few
 * typed arrays (shared memory above 64 KB) instead of thousands of strings.
 */
export interface WordCounts {
  /** The words' UTF-8 bytes, one after another, in order of first appearance. */
  bytes: Uint8Array;
  /** Word `i` is `bytes[i === 0 ? 0 : ends[i - 1], ends[i])`. */
  ends: Int32Array;
  /** 32-bit FNV-1a of each word's bytes (as `hashKey(word) | 0`). */
  hashes: Int32Array;
  counts: Float64Array;
}

/** Length of the whitespace character at `i` (0 if none): `\s` encoded as UTF-8. */
export function spaceLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13) ? 1 : 0;
  if (c === 0xc2) return i + 1 < end && b[i + 1] === 0xa0 ? 2 : 0; // U+00A0
  if (c < 0xe1 || c > 0xef || i + 2 >= end) return 0;
  const c1 = b[i + 1]!;
  const c2 = b[i + 2]!;
  if (c === 0xe2) {
    if (c1 === 0x80) return c2 <= 0x8a || c2 === 0xa8 || c2 === 0xa9 || c2 === 0xaf ? 3 : 0; // U+2000-200A, 2028, 2029, 202F
    return c1 === 0x81 && c2 === 0x9f ? 3 : 0; // U+205F
  }
  if (c === 0xe1) return c1 === 0x9a && c2 === 0x80 ? 3 : 0; // U+1680
  if (c === 0xe3) return c1 === 0x80 && c2 === 0x80 ? 3 : 0; // U+3000
  if (c === 0xef) return c1 === 0xbb && c2 === 0xbf ? 3 : 0; // U+FEFF
  return 0;
}

/**
 * Counts words of UTF-8 bytes, in order of first appearance. The table interleaves each
 * entry's hash with its slot, and each slot's start with its length, so a lookup touches
 * two cache lines before the bytes themselves.
 */
export class ByteWordCounter {
  private size = 0;
  private capacity = INITIAL_CAPACITY;
  /** Pairs `[hash, slot + 1]`; slot 0 marks an empty entry. */
  private table = new Int32Array(INITIAL_CAPACITY * 2);
  /** Pairs `[arena start, length]` per slot. */
  private spans = new Int32Array(INITIAL_CAPACITY);
  private hashes = new Int32Array(INITIAL_CAPACITY >> 1);
  private counts = new Float64Array(INITIAL_CAPACITY >> 1);
  private arena = Buffer.allocUnsafeSlow(INITIAL_ARENA_BYTES);
  private arenaView = viewOf(this.arena);
  private arenaUsed = 0;
  /** The bytes being counted, read 4 at a time when a repeated word is compared. */
  private input = viewOf(this.arena);

  /** Table entries (twice the distinct words it holds before it grows). */
  get tableCapacity(): number {
    return this.capacity;
  }

  /** Forgets every word but keeps the grown tables, for the next block on this thread. */
  clear(): void {
    this.table.fill(0);
    this.size = 0;
    this.arenaUsed = 0;
  }

  /** Counts the words in `bytes[start, end)`. */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    this.input = viewOf(bytes);
    let wordStart = -1;
    let h = 0;
    let i = start;
    while (i < end) {
      const c = bytes[i]!;
      // Fast path: ASCII word bytes.
      if (c > 32 && c < 0x80) {
        if (wordStart < 0) {
          wordStart = i;
          h = FNV_OFFSET;
        }
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
        continue;
      }
      const space = spaceLength(bytes, i, end);
      if (space > 0) {
        if (wordStart >= 0) {
          this.add(bytes, wordStart, i, h, 1);
          wordStart = -1;
        }
        i += space;
      } else {
        if (wordStart < 0) {
          wordStart = i;
          h = FNV_OFFSET;
        }
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
      }
    }
    if (wordStart >= 0) this.add(bytes, wordStart, end, h, 1);
  }

  /** Adds counted words (a partial from another block) to these counts. */
  addCounts(wc: WordCounts): void {
    const { bytes, ends, hashes, counts } = wc;
    this.input = viewOf(bytes);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      this.add(bytes, start, end, hashes[i]!, counts[i]!);
      start = end;
    }
  }

  /** The counts as compact columns, on shared memory when large. */
  toWordCounts(): WordCounts {
    const n = this.size;
    const bytes = allocate(Uint8Array, this.arenaUsed);
    bytes.set(this.arena.subarray(0, this.arenaUsed));
    const ends = allocate(Int32Array, n);
    for (let s = 0; s < n; s++) ends[s] = this.spans[2 * s]! + this.spans[2 * s + 1]!;
    const hashes = allocate(Int32Array, n);
    hashes.set(this.hashes.subarray(0, n));
    const counts = allocate(Float64Array, n);
    counts.set(this.counts.subarray(0, n));
    return { bytes, ends, hashes, counts };
  }

  /** `[words, counts]` columns. */
  result(): [string[], Float64Array] {
    const words = new Array<string>(this.size);
    for (let s = 0; s < this.size; s++) {
      const at = this.spans[2 * s]!;
      words[s] = this.arena.toString('utf8', at, at + this.spans[2 * s + 1]!);
    }
    return [words, this.counts.slice(0, this.size)];
  }

  private add(bytes: Uint8Array, start: number, end: number, h: number, n: number): void {
    const len = end - start;
    const table = this.table;
    const mask = this.capacity * 2 - 1;
    let idx = (h << 1) & mask;
    for (;;) {
      const t = table[idx + 1]!;
      if (t === 0) break;
      if (table[idx] === h && this.spans[2 * t - 1] === len) {
        if (this.sameBytes(this.spans[2 * t - 2]!, bytes, start, len)) {
          this.counts[t - 1]! += n;
          return;
        }
      }
      idx = (idx + 2) & mask;
    }
    this.insert(bytes, start, len, h, n, idx);
  }

  /**
   * Whether the arena holds `bytes[start, start + len)` at `at`. Four bytes at a time, the
   * last four first: words of 4 to 8 bytes take two compares and no loop, which saves
   * about 10% of the count over a byte loop whose exit the CPU mispredicts.
   */
  private sameBytes(at: number, bytes: Uint8Array, start: number, len: number): boolean {
    if (len < 4) {
      const arena = this.arena;
      for (let k = 0; k < len; k++) if (arena[at + k] !== bytes[start + k]) return false;
      return true;
    }
    const a = this.arenaView;
    const b = this.input;
    if (a.getInt32(at + len - 4, true) !== b.getInt32(start + len - 4, true)) return false;
    for (let k = 0; k < len - 4; k += 4)
      if (a.getInt32(at + k, true) !== b.getInt32(start + k, true)) return false;
    return true;
  }

  private insert(bytes: Uint8Array, start: number, len: number, h: number, n: number, idx: number) {
    if (this.arenaUsed + len > this.arena.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(grown, 0, 0, this.arenaUsed);
      this.arena = grown;
      this.arenaView = viewOf(grown);
    }
    const s = this.size++;
    for (let k = 0; k < len; k++) this.arena[this.arenaUsed + k] = bytes[start + k]!;
    this.spans[2 * s] = this.arenaUsed;
    this.spans[2 * s + 1] = len;
    this.arenaUsed += len;
    this.hashes[s] = h;
    this.counts[s] = n;
    this.table[idx] = h;
    this.table[idx + 1] = s + 1;
    if (this.size * 2 >= this.capacity) this.grow();
  }

  private grow(): void {
    this.capacity *= 2;
    const mask = this.capacity * 2 - 1;
    const table = new Int32Array(this.capacity * 2);
    for (let s = 0; s < this.size; s++) {
      const h = this.hashes[s]!;
      let idx = (h << 1) & mask;
      while (table[idx + 1] !== 0) idx = (idx + 2) & mask;
      table[idx] = h;
      table[idx + 1] = s + 1;
    }
    this.table = table;
    const half = this.capacity >> 1;
    this.spans = growTo(this.spans, new Int32Array(half * 2));
    this.hashes = growTo(this.hashes, new Int32Array(half));
    this.counts = growTo(this.counts, new Float64Array(half));
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function growTo<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(from: T, to: T): T {
  to.set(from);
  return to;
}
