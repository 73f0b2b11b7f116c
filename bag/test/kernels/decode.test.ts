import { gzipSync } from 'node:zlib';
import { brokenGzipOffset, firstInvalidUtf8, gunzipFile } from '@dusk/bag/kernels';
import { describe, expect, it } from 'vitest';

/** Reference: the longest prefix a fatal TextDecoder accepts, found byte by byte. */
function referenceInvalid(bytes: Uint8Array): number {
  const ok = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n));
      return true;
    } catch {
      return false;
    }
  };
  if (ok(bytes.length)) return bytes.length;
  // The first bad sequence starts where the longest decodable prefix ends on a character boundary.
  let good = 0;
  for (let n = 1; n <= bytes.length; n++) if (ok(n)) good = n;
  return good;
}

describe('firstInvalidUtf8', () => {
  const cases: [string, number[]][] = [
    ['ascii', [0x61, 0x62]],
    ['two-byte', [0x61, 0xc3, 0xa9, 0x62]],
    ['lone continuation', [0x61, 0x80, 0x62]],
    ['truncated at the end', [0x61, 0xe2, 0x9c]],
    ['bad continuation', [0x61, 0xc3, 0x28]],
    ['overlong', [0xc0, 0xaf]],
    ['overlong three-byte', [0x61, 0xe0, 0x80, 0xaf]],
    ['surrogate', [0x61, 0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['four-byte', [0xf0, 0x9f, 0x98, 0x80, 0x21]],
    ['0xff', [0x61, 0x62, 0xff]],
  ];
  it.each(cases)('agrees with a fatal TextDecoder: %s', (_name, bytes) => {
    const b = Uint8Array.from(bytes);
    expect(firstInvalidUtf8(b)).toBe(referenceInvalid(b));
  });
});

describe('gunzip with the offset of damage', () => {
  const text = Buffer.from('a line of text to compress\n'.repeat(500));
  const good = gzipSync(text);

  it('decompresses good files, including several members', () => {
    expect(gunzipFile(good, 'f.gz').equals(text)).toBe(true);
    expect(gunzipFile(Buffer.concat([good, good]), 'f.gz').length).toBe(2 * text.length);
  });

  it('points at or just after the damaged byte', () => {
    for (const at of [0, 3, 20, 40]) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ 0xff;
      let off = -1;
      try {
        gunzipFile(bad, 'f.gz');
      } catch (e) {
        off = Number(/detected at byte offset (\d+)/.exec((e as Error).message)?.[1]);
      }
      expect(off).toBeGreaterThanOrEqual(at);
      expect(off).toBe(brokenGzipOffset(bad));
      expect(off).toBeLessThan(good.length);
    }
  });

  it('reports a truncated file at its end', () => {
    const cut = good.subarray(0, good.length - 5);
    expect(() => gunzipFile(cut, 'cut.gz')).toThrow(
      `File 'cut.gz' is not a valid gzip file: unexpected end of file, detected at byte offset ${cut.length} of ${cut.length} (the file ends too early: truncated?)`,
    );
  });
});
