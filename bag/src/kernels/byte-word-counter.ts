/**
 * Word count straight from UTF-8 bytes: no string per block and no string per word. The
 * scan hashes each word's bytes and looks it up in an open-addressing table; distinct
 * words keep their bytes in an arena and become strings once, at the end. Whitespace is
 * JavaScript's `\s` as UTF-8: ASCII spaces plus the multi-byte Unicode separators, so the
 * words are exactly those of `str.split()` on the decoded text. Input must be valid UTF-8.
 */

const INITIAL_CAPACITY = 1 << 12;
const INITIAL_ARENA_BYTES = 1 << 16;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

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

/** Counts whitespace-separated words of UTF-8 bytes, in order of first appearance. */
export class ByteWordCounter {
  private size = 0;
  private mask = INITIAL_CAPACITY - 1;
  private table = new Int32Array(INITIAL_CAPACITY);
  private hashes = new Int32Array(INITIAL_CAPACITY >> 1);
  private starts = new Int32Array(INITIAL_CAPACITY >> 1);
  private lengths = new Int32Array(INITIAL_CAPACITY >> 1);
  private counts = new Float64Array(INITIAL_CAPACITY >> 1);
  private arena = Buffer.allocUnsafeSlow(INITIAL_ARENA_BYTES);
  private arenaUsed = 0;

  /** Counts the words in `bytes[start, end)`. */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
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
          this.add(bytes, wordStart, i, h);
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
    if (wordStart >= 0) this.add(bytes, wordStart, end, h);
  }

  /** `[words, counts]` as plain arrays. */
  result(): [string[], number[]] {
    const words = new Array<string>(this.size);
    for (let s = 0; s < this.size; s++) {
      words[s] = this.arena.toString('utf8', this.starts[s]!, this.starts[s]! + this.lengths[s]!);
    }
    return [words, Array.from(this.counts.subarray(0, this.size))];
  }

  private add(bytes: Uint8Array, start: number, end: number, h: number): void {
    const len = end - start;
    const arena = this.arena;
    let idx = h & this.mask;
    for (;;) {
      const t = this.table[idx]!;
      if (t === 0) break;
      const s = t - 1;
      if (this.hashes[s] === h && this.lengths[s] === len) {
        const at = this.starts[s]!;
        let k = 0;
        while (k < len && arena[at + k] === bytes[start + k]) k++;
        if (k === len) {
          this.counts[s]!++;
          return;
        }
      }
      idx = (idx + 1) & this.mask;
    }
    this.insert(bytes, start, len, h, idx);
  }

  private insert(bytes: Uint8Array, start: number, len: number, h: number, idx: number): void {
    if (this.arenaUsed + len > this.arena.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(grown, 0, 0, this.arenaUsed);
      this.arena = grown;
    }
    const s = this.size++;
    for (let k = 0; k < len; k++) this.arena[this.arenaUsed + k] = bytes[start + k]!;
    this.starts[s] = this.arenaUsed;
    this.lengths[s] = len;
    this.arenaUsed += len;
    this.hashes[s] = h;
    this.counts[s] = 1;
    this.table[idx] = s + 1;
    if (this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.table = new Int32Array(capacity);
    for (let s = 0; s < this.size; s++) {
      let idx = this.hashes[s]! & this.mask;
      while (this.table[idx] !== 0) idx = (idx + 1) & this.mask;
      this.table[idx] = s + 1;
    }
    const half = capacity >> 1;
    this.hashes = growInt32(this.hashes, half);
    this.starts = growInt32(this.starts, half);
    this.lengths = growInt32(this.lengths, half);
    const counts = new Float64Array(half);
    counts.set(this.counts);
    this.counts = counts;
  }
}

function growInt32(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(length);
  out.set(a);
  return out;
}
