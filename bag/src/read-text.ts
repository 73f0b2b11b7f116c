/**
 * readText: lines of text files as a bag. Paths and glob patterns are expanded and files
 * stat'ed when the bag is built (like Dask), so the graph names fixed byte ranges: plain
 * files are cut into equal blocks of about `blocksize` bytes (each block owns the lines that
 * start in it), gzip files are one partition each. Lines come without their line ending.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  blockKey,
  InputError,
  InvalidArgumentError,
  type Key,
  layer,
  type Node,
  type Task,
  task,
  tokenize,
} from '@dusk/core';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { Bag } from './bag.js';
import { kernel } from './kernel-ref.js';

export interface ReadTextOptions {
  /**
   * About this many bytes per partition for plain files (a file is cut into
   * `floor(size / blocksize)` equal blocks, at least one); null for one partition per file.
   * Default 8 MiB: a block is then 50-150 ms of work (scheduling costs ~0.2 ms a task), and
   * a file of 100 MB gives 12 equal tasks, so no worker of a pool of two or four waits on a
   * short last block.
   */
  blocksize?: number | null;
  /** 'infer' (default: gzip for names ending in `.gz`), 'gzip', or null for plain text. */
  compression?: 'infer' | 'gzip' | null;
  /** 'utf8' (default; invalid bytes are an error) or 'latin1'. */
  encoding?: 'utf8' | 'latin1';
  /** Elements become `[line, path]` instead of `line`. */
  includePath?: boolean;
}

export const DEFAULT_BLOCKSIZE = 8 * 1024 * 1024;

interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * @example
 * const counts = readText('books/*.txt').str.split().flatten().frequencies({ sort: true });
 * const lines = readText(['a.log.gz', 'b.log.gz']);
 */
export function readText(
  paths: string | readonly string[],
  opts: ReadTextOptions = {},
): Bag<string> {
  const {
    blocksize = DEFAULT_BLOCKSIZE,
    compression = 'infer',
    encoding = 'utf8',
    includePath = false,
  } = opts;
  checkOptions(blocksize, compression, encoding);
  const files = expandPaths(typeof paths === 'string' ? [paths] : paths);
  const kernelOpts = { encoding, includePath };
  const blocks: Task[] = [];
  const wordCounts: Task[] = [];
  const tokens: unknown[] = [];
  for (const f of files) {
    const gzip = compression === 'gzip' || (compression === 'infer' && f.path.endsWith('.gz'));
    tokens.push(f.path, f.size, f.mtimeMs, gzip);
    if (gzip) {
      blocks.push(task(kernel('readGzipText'), [f.path, { quote: kernelOpts }]));
      wordCounts.push(task(kernel('countWordsGzip'), [f.path, { quote: kernelOpts }]));
      continue;
    }
    const n = blockCount(f.size, blocksize);
    for (let b = 0; b < n; b++) {
      const start = blockStart(f.size, n, b);
      const args = [f.path, start, blockStart(f.size, n, b + 1), { quote: kernelOpts }];
      blocks.push(task(kernel('readTextBlock'), args));
      wordCounts.push(task(kernel('countWordsBlock'), args));
    }
  }
  const name = `read-text-${tokenize(tokens, blocksize, encoding, includePath)}`;
  const tasks = new Map<Key, Node>(blocks.map((t, i) => [blockKey(name, [i]), t]));
  // Word counts of these lines can be made from each block's bytes, without lines (keyed.ts).
  const origin = includePath
    ? undefined
    : ({ op: 'readText', wordCountTasks: wordCounts } as const);
  return new Bag<string>(name, blocks.length, layer(name, tasks), origin);
}

/**
 * Blocks of a file: `floor(size / blocksize)` of equal size (at least one), as Dask's
 * read_bytes. Blocks a little over `blocksize` rather than a short last one: a short tail
 * block is a task that ends early and leaves a worker idle while the others finish.
 */
function blockCount(size: number, blocksize: number | null): number {
  return blocksize === null ? 1 : Math.max(1, Math.floor(size / blocksize));
}

/** Byte offset where block `b` of `n` starts (`size` for b = n). */
function blockStart(size: number, n: number, b: number): number {
  return Math.floor((size * b) / n);
}

function checkOptions(blocksize: unknown, compression: unknown, encoding: unknown): void {
  if (blocksize !== null && (!Number.isInteger(blocksize) || (blocksize as number) < 1)) {
    throw new InvalidArgumentError(
      `readText: blocksize must be a positive number of bytes or null (got ${String(blocksize)}).`,
    );
  }
  if (compression !== 'infer' && compression !== 'gzip' && compression !== null) {
    throw new InvalidArgumentError(
      `readText: compression must be 'infer', 'gzip' or null (got ${String(compression)}).`,
    );
  }
  if (encoding !== 'utf8' && encoding !== 'latin1') {
    throw new InvalidArgumentError(
      `readText: encoding must be 'utf8' or 'latin1' (got ${String(encoding)}).`,
    );
  }
}

/** Files named by paths and glob patterns, each once, globs sorted by name. */
export function expandPaths(patterns: readonly string[]): FileInfo[] {
  if (patterns.length === 0)
    throw new InvalidArgumentError('readText: pass at least one path or glob pattern.');
  const seen = new Set<string>();
  const out: FileInfo[] = [];
  for (const p of patterns) {
    if (typeof p !== 'string')
      throw new InvalidArgumentError(`readText: paths must be strings (got ${typeof p}).`);
    const matches = isDynamicPattern(p)
      ? globSync(p, { absolute: true, onlyFiles: true }).sort()
      : [resolve(p)];
    if (matches.length === 0)
      throw new InputError(`readText: no files match '${p}' (relative to ${process.cwd()}).`);
    for (const path of matches) {
      if (seen.has(path)) continue;
      seen.add(path);
      out.push(statFile(path));
    }
  }
  return out;
}

function statFile(path: string): FileInfo {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputError(
      `readText: cannot read '${path}': ${missing ? 'no such file' : (e as Error).message}.`,
      { cause: e },
    );
  }
  if (!st.isFile())
    throw new InputError(`readText: '${path}' is not a file; use a glob such as '${path}/*.txt'.`);
  return { path, size: st.size, mtimeMs: st.mtimeMs };
}
