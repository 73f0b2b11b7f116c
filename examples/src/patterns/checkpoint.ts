/**
 * Checkpointing a long computation: the work is split into blocks, blocks are computed a
 * batch at a time, and after each batch the finished blocks' results are saved to disk
 * (written to a temporary file, then renamed, so a kill never leaves half a file). Started
 * again after a crash or a kill, the script loads the checkpoint and computes only the
 * blocks that are missing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { delayed, InvalidArgumentError, tasks } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { DEFAULT_OUT } from '../notebook/options.js';
import { patternContext } from './pattern-cli.js';
import { isPrime } from './primes.js';

export interface Checkpoint {
  /** What was being computed: a checkpoint for other parameters must not be reused. */
  params: { n: number; block: number };
  /** Finished blocks: index -> result. */
  done: Record<string, number>;
}

/** One block of the long computation: primes in [lo, hi), optionally slowed down. */
export function countPrimes(lo: number, hi: number, delayMs: number): number {
  let count = 0;
  for (let x = lo; x < hi; x++) if (isPrime(x)) count++;
  if (delayMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs);
  return count;
}

const t = tasks(import.meta.url, { countPrimes });

/** Reads a checkpoint, or returns an empty one; refuses one made for other parameters. */
export function loadCheckpoint(path: string, params: Checkpoint['params']): Checkpoint {
  if (!existsSync(path)) return { params, done: {} };
  const saved = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  if (saved.params?.n !== params.n || saved.params?.block !== params.block) {
    throw new InvalidArgumentError(
      `Checkpoint ${path} was made for n=${saved.params?.n}, block=${saved.params?.block}, ` +
        `not n=${params.n}, block=${params.block}. Pass the same options, or delete the file to start over.`,
    );
  }
  return saved;
}

/** Saves a checkpoint atomically: a reader sees the old file or the new one, never half. */
export function saveCheckpoint(path: string, cp: Checkpoint): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cp));
  renameSync(tmp, path);
}

export interface CheckpointResult {
  primes: number;
  resumedBlocks: number;
  computedBlocks: number;
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<CheckpointResult> {
  const ctx = patternContext(argv, io, {
    counts: { n: 2_000_000, block: 50_000, batch: 4, 'block-ms': 0 },
    flags: { checkpoint: join(DEFAULT_OUT, 'primes.checkpoint.json'), keep: 'off' },
  });
  const { n, block, batch } = ctx.counts as Record<string, number>;
  const path = ctx.flags.checkpoint!;
  const blocks = Math.ceil(n / block);

  // %% Load what an earlier run finished
  const cp = loadCheckpoint(path, { n, block });
  const resumedBlocks = Object.keys(cp.done).length;
  if (resumedBlocks > 0) {
    ctx.print(`Resuming from checkpoint: ${resumedBlocks} of ${blocks} blocks already done`);
  } else ctx.print(`Starting fresh: ${blocks} blocks`);

  // %% Compute the missing blocks a batch at a time, saving after every batch
  const missing = Array.from({ length: blocks }, (_, i) => i).filter((i) => !(i in cp.done));
  for (let i = 0; i < missing.length; i += batch) {
    const ids = missing.slice(i, i + batch);
    const calls = ids.map((b) =>
      delayed(t.countPrimes)(b * block, Math.min((b + 1) * block, n), ctx.counts['block-ms']!),
    );
    const counts = (await compute(...calls, ctx.compute)) as number[];
    ids.forEach((b, j) => {
      cp.done[b] = counts[j]!;
    });
    saveCheckpoint(path, cp);
    ctx.io.err(`checkpoint: ${Object.keys(cp.done).length}/${blocks} blocks saved\n`);
  }

  // %% Combine the blocks
  const primes = Object.values(cp.done).reduce((a, b) => a + b, 0);
  ctx.print(`Primes below ${n}: ${primes}`);
  if (ctx.flags.keep !== 'on') rmSync(path, { force: true });
  return { primes, resumedBlocks, computedBlocks: missing.length };
}

void runIfMain(import.meta.url, main);
