/**
 * What every classic-pattern script shares: `--scheduler` and `--workers` (plus options of
 * its own), Python-style printing to a NotebookIO, and compute options to pass along.
 */
import { parseArgs } from 'node:util';
import type { ComputeOptions } from '@dusk/core';
import { type NotebookIO, processIO } from '../notebook/notebook.js';
import { parseCount } from '../notebook/options.js';
import { pyPrintLine } from '../notebook/py-format.js';

export interface PatternContext {
  /** Python's `print(*args)` to the script's stdout. */
  print(...args: unknown[]): void;
  /** Scheduler and workers, to pass to every compute. */
  compute: ComputeOptions;
  /** The script's own options, as parsed numbers (defaults filled in). */
  counts: Record<string, number>;
  /** The script's own on/off and text options. */
  flags: Record<string, string>;
  io: NotebookIO;
}

export interface PatternSpec {
  /** Numeric options and their defaults, e.g. { samples: 10_000_000 }. */
  counts?: Record<string, number>;
  /** Text options and their defaults, e.g. { jitter: 'on' }. */
  flags?: Record<string, string>;
}

/**
 * Parses a pattern script's arguments.
 * @example const ctx = patternContext(argv, io, { counts: { n: 10 } });
 */
export function patternContext(
  argv: readonly string[],
  io: NotebookIO = processIO(),
  spec: PatternSpec = {},
): PatternContext {
  const counts = spec.counts ?? {};
  const flags = spec.flags ?? {};
  const names = [...Object.keys(counts), ...Object.keys(flags)];
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      // Parallel by default, as the course's process pools are; DUSK_SCHEDULER overrides.
      scheduler: { type: 'string', default: process.env.DUSK_SCHEDULER || 'threads' },
      workers: { type: 'string' },
      ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    },
  });
  const v = values as Record<string, string | undefined>;
  return {
    print: (...args) => io.out(`${pyPrintLine(args)}\n`),
    compute: {
      scheduler: v.scheduler,
      workers: v.workers === undefined ? undefined : parseCount('workers', v.workers),
    },
    counts: Object.fromEntries(
      Object.entries(counts).map(([n, d]) => [n, v[n] === undefined ? d : parseCount(n, v[n], 0)]),
    ),
    flags: Object.fromEntries(Object.entries(flags).map(([n, d]) => [n, v[n] ?? d])),
    io,
  };
}
