/**
 * The stable hash that decides which output partition a key goes to (groupby's shuffle,
 * `splitOut` of foldby and frequencies): 32-bit FNV-1a over the UTF-8 bytes of the key's
 * text, the same in every thread, process and machine. Over UTF-8 bytes rather than UTF-16
 * code units, so the word count, which hashes words straight from the file's bytes, puts
 * every word in the same partition as the generic path would.
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** The hash of a key: strings as they are, objects and arrays by JSON text, the rest by String(). */
export function hashKey(key: unknown): number {
  const text =
    typeof key === 'string'
      ? key
      : typeof key === 'object' && key !== null
        ? JSON.stringify(key)
        : String(key);
  return hashUtf8(text) >>> 0;
}

/** The output partition of `key` among `nOut`. */
export function bucketOf(key: unknown, nOut: number): number {
  return nOut === 1 ? 0 : hashKey(key) % nOut;
}

/** FNV-1a of `text` encoded as UTF-8 (a lone surrogate as U+FFFD, as Buffer.from does). */
export function hashUtf8(text: string): number {
  let h = FNV_OFFSET;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
    } else {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const p = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        h = Math.imul(h ^ (0xf0 | (p >> 18)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((p >> 12) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((p >> 6) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | (p & 0x3f)), FNV_PRIME);
        i++;
      } else {
        const u = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
        h = Math.imul(h ^ (0xe0 | (u >> 12)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((u >> 6) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | (u & 0x3f)), FNV_PRIME);
      }
    }
  }
  return h;
}
