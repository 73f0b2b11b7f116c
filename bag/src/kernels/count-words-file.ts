/**
 * The word count of readText blocks read as bytes: `readText(...).str.split().flatten()
 * .frequencies()` becomes one of these per block. UTF-8 is validated (an invalid byte is
 * the same error, with the same offset, as reading the lines) and counted without
 * decoding; Latin-1 is decoded and re-encoded as UTF-8 first. The counts leave as
 * `WordCounts` columns, merged by the kernels of word-counts.ts.
 */
import { ByteWordCounter, type WordCounts } from './byte-word-counter.js';
import { checkUtf8, decodeText } from './decode.js';
import {
  type ReadTextOptions,
  readGzipBytes,
  readTextBlockBytes,
  releaseLargeScratch,
} from './read-text.js';

/** Word counts of the lines starting in bytes `[start, end)` of a plain text file. */
export function countWordsBlock(
  path: string,
  start: number,
  end: number,
  opts: ReadTextOptions,
): WordCounts {
  const { bytes, offset } = readTextBlockBytes(path, start, end);
  try {
    return countBytes(bytes, opts, `File '${path}'`, offset);
  } finally {
    releaseLargeScratch();
  }
}

/** Word counts of a whole gzip-compressed text file. */
export function countWordsGzip(path: string, opts: ReadTextOptions): WordCounts {
  return countBytes(readGzipBytes(path), opts, `File '${path}' (after gunzip)`, 0);
}

function countBytes(
  bytes: Buffer,
  opts: ReadTextOptions,
  where: string,
  offset: number,
): WordCounts {
  let utf8 = bytes;
  // Latin-1 text counted as the UTF-8 of its characters: words then hash and split like
  // the strings the line path would make.
  if (opts.encoding === 'latin1') utf8 = Buffer.from(decodeText(bytes, 'latin1', where, offset));
  else checkUtf8(bytes, where, offset);
  const counter = blockCounter();
  counter.addBytes(utf8, 0, utf8.length);
  return counter.toWordCounts();
}

// One counter per thread, cleared and reused: a block of real text fills about 1 MB of
// tables, and fresh memory is slow to touch on these machines (~0.5 GB/s the first time).
let reused: ByteWordCounter | undefined;
// Tables grown by a block of far more distinct words than text usually has are not kept.
const KEEP_TABLE_ENTRIES = 1 << 18;

function blockCounter(): ByteWordCounter {
  if (reused === undefined || reused.tableCapacity > KEEP_TABLE_ENTRIES)
    reused = new ByteWordCounter();
  else reused.clear();
  return reused;
}
