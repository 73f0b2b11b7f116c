/**
 * readText kernels: one block of a text file as lines (or as one string, or as bytes). A
 * block owns the lines that start inside its byte range, so blocks cut anywhere still give
 * every line exactly once: it skips the partial line at its start and reads past its end
 * to finish its last line. Gzip files are not splittable and are read whole.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '@dusk/core';
import { decodeText, gunzipFile, type TextEncoding } from './decode.js';

export interface ReadTextOptions {
  encoding: TextEncoding;
  includePath: boolean;
}

const NEWLINE = 10;
// Reading on past the block end to finish its last line: lines are usually short.
const TAIL_READ_BYTES = 64 * 1024;

/** The lines starting in bytes `[start, end)` of a plain text file. */
export function readTextBlock(
  path: string,
  start: number,
  end: number,
  opts: ReadTextOptions,
): unknown[] {
  return toLines(readTextBlockText(path, start, end, opts), opts.includePath ? path : null);
}

/** The same lines as one string, line endings kept (for kernels that scan text directly). */
export function readTextBlockText(
  path: string,
  start: number,
  end: number,
  opts: ReadTextOptions,
): string {
  const { bytes, offset } = readTextBlockBytes(path, start, end);
  try {
    return decodeText(bytes, opts.encoding, `File '${path}'`, offset);
  } finally {
    releaseLargeScratch();
  }
}

/**
 * The bytes of the lines starting in `[start, end)` and their offset in the file. The view
 * is into a buffer reused by the next call on this thread: use it before reading again.
 */
export function readTextBlockBytes(
  path: string,
  start: number,
  end: number,
): { bytes: Buffer; offset: number } {
  const fd = openFile(path);
  try {
    const from = start === 0 ? 0 : start - 1;
    const length = readBlock(fd, from, end - from);
    let first = 0;
    if (start > 0) {
      // The byte before `start` tells whether a line starts exactly at `start`.
      const nl = scratch.subarray(0, length).indexOf(NEWLINE);
      if (nl < 0 || from + nl + 1 >= end) return { bytes: scratch.subarray(0, 0), offset: end };
      first = nl + 1;
    }
    return { bytes: scratch.subarray(first, length), offset: from + first };
  } finally {
    closeSync(fd);
  }
}

/** All lines of a gzip-compressed text file. */
export function readGzipText(path: string, opts: ReadTextOptions): unknown[] {
  return toLines(readGzipTextText(path, opts), opts.includePath ? path : null);
}

/** The whole decompressed text of a gzip file. */
export function readGzipTextText(path: string, opts: ReadTextOptions): string {
  return decodeText(readGzipBytes(path), opts.encoding, `File '${path}' (after gunzip)`, 0);
}

/** The decompressed bytes of a gzip file. */
export function readGzipBytes(path: string): Buffer {
  let compressed: Buffer;
  try {
    compressed = readFileSync(path);
  } catch (e) {
    throw fileError(path, e);
  }
  return gunzipFile(compressed, path);
}

// One read buffer per thread, reused: fresh memory is slow to touch on these machines, and
// every block is decoded into a string (a copy) before the next read.
let scratch = Buffer.allocUnsafeSlow(0);
// A block much larger than the default (blocksize null on a big file) is not kept around.
const SCRATCH_KEEP_BYTES = 64 * 1024 * 1024;

/** Drops the read buffer if one huge block grew it; call when done with the block's bytes. */
export function releaseLargeScratch(): void {
  if (scratch.length > SCRATCH_KEEP_BYTES) scratch = Buffer.allocUnsafeSlow(0);
}

function ensureScratch(bytes: number, keep: number): void {
  if (scratch.length >= bytes) return;
  const grown = Buffer.allocUnsafeSlow(Math.max(bytes, Math.ceil(scratch.length * 1.5)));
  scratch.copy(grown, 0, 0, keep);
  scratch = grown;
}

/**
 * Reads `length` bytes at `from` into the scratch buffer, then on to the end of the line
 * that is open at the end of the range; returns the number of bytes read.
 */
function readBlock(fd: number, from: number, length: number): number {
  ensureScratch(length + TAIL_READ_BYTES, 0);
  let got = readInto(fd, from, 0, length);
  if (got < length || got === 0 || scratch[got - 1] === NEWLINE) return got;
  for (;;) {
    ensureScratch(got + TAIL_READ_BYTES, got);
    const n = readInto(fd, from + got, got, TAIL_READ_BYTES);
    const nl = scratch.subarray(got, got + n).indexOf(NEWLINE);
    if (nl >= 0) return got + nl + 1;
    got += n;
    if (n < TAIL_READ_BYTES) return got;
  }
}

function readInto(fd: number, position: number, offset: number, length: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, scratch, offset + got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Splits text into lines without their `\n` or `\r\n`; no empty line after a final newline. */
export function toLines(text: string, path: string | null): unknown[] {
  if (text.length === 0) return [];
  const lines: unknown[] = text.split('\n');
  if (text.charCodeAt(text.length - 1) === NEWLINE) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    lines[i] = path === null ? line : [line, path];
  }
  return lines;
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
}

function fileError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'it does not exist (was it moved or deleted after readText?)'
      : (e as Error).message;
  return new InputError(`Cannot read file '${path}': ${why}.`, { cause: e });
}
