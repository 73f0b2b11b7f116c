/**
 * The word count of readText blocks read as bytes: `readText(...).str.split().flatten()
 * .frequencies()` becomes one of these per block. UTF-8 is validated (an invalid byte is
 * the same error, with the same offset, as reading the lines) and counted without
 * decoding; Latin-1 is decoded and counted as text.
 */
import { ByteWordCounter } from './byte-word-counter.js';
import { checkUtf8, decodeText } from './decode.js';
import type { KeyedPartial } from './keyed.js';
import {
  type ReadTextOptions,
  readGzipBytes,
  readTextBlockBytes,
  releaseLargeScratch,
} from './read-text.js';
import { WordCounter } from './word-counter.js';

/** Word counts of the lines starting in bytes `[start, end)` of a plain text file. */
export function countWordsBlock(
  path: string,
  start: number,
  end: number,
  opts: ReadTextOptions,
): KeyedPartial {
  const { bytes, offset } = readTextBlockBytes(path, start, end);
  try {
    return countBytes(bytes, opts, `File '${path}'`, offset);
  } finally {
    releaseLargeScratch();
  }
}

/** Word counts of a whole gzip-compressed text file. */
export function countWordsGzip(path: string, opts: ReadTextOptions): KeyedPartial {
  return countBytes(readGzipBytes(path), opts, `File '${path}' (after gunzip)`, 0);
}

function countBytes(
  bytes: Buffer,
  opts: ReadTextOptions,
  where: string,
  offset: number,
): KeyedPartial {
  if (opts.encoding === 'latin1') {
    const counter = new WordCounter();
    counter.addLine(decodeText(bytes, 'latin1', where, offset));
    return counter.result();
  }
  checkUtf8(bytes, where, offset);
  const counter = new ByteWordCounter();
  counter.addBytes(bytes, 0, bytes.length);
  return counter.result();
}
