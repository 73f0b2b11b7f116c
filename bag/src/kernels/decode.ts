/**
 * Bytes to text for readText: UTF-8 (strict: a bad byte is an error naming the file and
 * its byte offset, never a silent U+FFFD) or Latin-1, and gunzip that reports where a
 * broken gzip stream stops making sense.
 */
import { isUtf8 } from 'node:buffer';
import { constants, gunzipSync } from 'node:zlib';
import { InputError } from '@dusk/core';

export type TextEncoding = 'utf8' | 'latin1';

/**
 * Decodes `bytes`, which start at byte `offset` of `where` (a file name, or a file name and
 * "decompressed"), for error messages.
 */
export function decodeText(
  bytes: Buffer,
  encoding: TextEncoding,
  where: string,
  offset: number,
): string {
  if (encoding === 'latin1') return bytes.toString('latin1');
  checkUtf8(bytes, where, offset);
  const start = offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}

/** Throws an InputError naming `where` and the byte offset unless `bytes` is valid UTF-8. */
export function checkUtf8(bytes: Buffer, where: string, offset: number): void {
  if (isUtf8(bytes)) return;
  const bad = firstInvalidUtf8(bytes);
  throw new InputError(
    `${where} is not valid UTF-8: the byte sequence at byte offset ${offset + bad} ` +
      `(starting 0x${bytes[bad]!.toString(16).padStart(2, '0')}) is not a UTF-8 character. Convert the file to UTF-8 ` +
      "(e.g. iconv -f latin1 -t utf-8), or pass { encoding: 'latin1' } if it is Latin-1.",
  );
}

/** Index where the first ill-formed UTF-8 sequence starts (RFC 3629), or the length. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return b.length;
}

/** Gunzips a whole file; a broken stream is an InputError naming the file and byte offset. */
export function gunzipFile(compressed: Buffer, path: string): Buffer {
  try {
    return gunzipSync(compressed);
  } catch (e) {
    const at = brokenGzipOffset(compressed);
    const reason = (e as Error).message;
    throw new InputError(
      `File '${path}' is not a valid gzip file: ${reason}, detected at byte offset ${at} of ${compressed.length}` +
        `${at >= compressed.length ? ' (the file ends too early: truncated?)' : ''}. ` +
        'Re-create or re-download the file; if it is not compressed, pass { compression: null }.',
      { cause: e },
    );
  }
}

/**
 * The shortest prefix length at which gunzip fails. zlib reports no position, but a prefix
 * ending before the damage decompresses cleanly with a sync flush, and every longer one
 * fails, so a binary search finds the first byte the decoder rejects (for a checksum
 * mismatch, the trailer). Runs only after a failure.
 */
export function brokenGzipOffset(compressed: Buffer): number {
  const fails = (n: number): boolean => {
    try {
      gunzipSync(compressed.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
      return false;
    } catch {
      return true;
    }
  };
  if (!fails(compressed.length)) return compressed.length;
  let lo = 0;
  let hi = compressed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fails(mid)) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(0, lo - 1);
}
