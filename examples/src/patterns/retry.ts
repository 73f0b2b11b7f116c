/**
 * Retry with exponential backoff, inside the graph: a task that calls a flaky function
 * retries it where it runs, waiting base * 2^(attempt-1) (plus jitter) between tries, so
 * only the failing task waits and nothing else is recomputed. The attempts made come back
 * with the value, so the caller can print them wherever the task ran.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuskError, delayed, type FnRef, resolveFn, tasks, toFnRef } from '@dusk/core';
import { compute } from '@dusk/scheduler';
import { runIfMain } from '../notebook/cli.js';
import type { NotebookIO } from '../notebook/notebook.js';
import { fixed, pyFloat } from '../notebook/py-format.js';
import { patternContext } from './pattern-cli.js';

export interface RetryPolicy {
  maxAttempts: number;
  /** Wait before the second attempt, in ms; it doubles each time. */
  baseMs: number;
  /** Add a random 0..baseMs to each wait, so retries of many tasks do not line up. */
  jitter: boolean;
}

export interface AttemptLog {
  attempt: number;
  error: string;
  waitMs: number;
}

export interface Retried<T> {
  value: T;
  attempts: AttemptLog[];
}

/** Every attempt of a retried call failed. */
export class RetriesExhaustedError extends DuskError {
  constructor(
    readonly attempts: AttemptLog[],
    last: string,
  ) {
    super(
      'E_RETRIES_EXHAUSTED',
      `Gave up after ${attempts.length + 1} attempts; last error: ${last}. ` +
        'Raise maxAttempts or fix the failing call.',
    );
    this.name = 'RetriesExhaustedError';
  }
}

/** The wait before attempt `attempt + 1`, in ms. */
export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  return policy.baseMs * 2 ** (attempt - 1) + (policy.jitter ? random() * policy.baseMs : 0);
}

/** A task function: calls `target(...args)`, retrying failures with exponential backoff. */
export async function retryCall(
  target: FnRef,
  args: unknown[],
  policy: RetryPolicy,
): Promise<Retried<unknown>> {
  const fn = await resolveFn(target);
  const attempts: AttemptLog[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(...args), attempts };
    } catch (e) {
      const error = (e as Error).message;
      if (attempt >= policy.maxAttempts) throw new RetriesExhaustedError(attempts, error);
      const waitMs = backoffMs(attempt, policy);
      attempts.push({ attempt, error, waitMs });
      await sleep(waitMs);
    }
  }
}

/**
 * A sensor that drops its first `failures` connections: the calls are counted in a file,
 * so the count holds whichever thread or process runs the task.
 */
export function flakyReading(dir: string, sensor: number, failures: number): number {
  const file = join(dir, `sensor-${sensor}.count`);
  let calls = 0;
  try {
    calls = Number(readFileSync(file, 'utf8'));
  } catch {}
  writeFileSync(file, String(++calls));
  if (calls <= failures) throw new Error(`sensor ${sensor}: connection reset (call ${calls})`);
  return sensor * 10 + 0.5;
}

const t = tasks(import.meta.url, { retryCall, flakyReading });

/** Builds the lazy call `fn(...args)` retried under `policy`. */
export function withRetries(fn: (...a: any[]) => unknown, args: unknown[], policy: RetryPolicy) {
  return delayed(t.retryCall, { name: 'retry' })(toFnRef(fn), args, policy);
}

/**
 * Runs this script with command-line arguments, printing to `io` (stdout and stderr by
 * default), and returns what it printed as values, for tests and callers.
 * @example await main(['--scheduler', 'sync']);
 */
export async function main(argv: string[] = [], io?: NotebookIO): Promise<number[]> {
  const ctx = patternContext(argv, io, {
    counts: { sensors: 4, 'max-attempts': 5, 'base-ms': 100 },
    flags: { jitter: 'on' },
  });
  const policy: RetryPolicy = {
    maxAttempts: ctx.counts['max-attempts']!,
    baseMs: ctx.counts['base-ms']!,
    jitter: ctx.flags.jitter !== 'off',
  };
  const dir = mkdtempSync(join(tmpdir(), 'dusk-retry-'));
  try {
    // %% Sensor i fails its first i calls; each read is retried with backoff where it runs
    const calls = Array.from({ length: ctx.counts.sensors! }, (_, i) =>
      withRetries(t.flakyReading, [dir, i, i], policy),
    );
    const results = (await compute(...calls, ctx.compute)) as Retried<number>[];
    results.forEach((r, sensor) => {
      for (const a of r.attempts) {
        ctx.print(
          `sensor ${sensor}: Attempt ${a.attempt} failed, waiting ${fixed(a.waitMs / 1000, 2)}s`,
        );
      }
    });
    const readings = results.map((r) => r.value);
    ctx.print('Readings:', readings.map(pyFloat));

    // %% A sensor that never comes back: the task gives up after maxAttempts
    const hopeless = withRetries(t.flakyReading, [dir, 99, Number.MAX_SAFE_INTEGER], policy);
    try {
      await compute(hopeless, ctx.compute);
    } catch (e) {
      ctx.print(`Gave up: ${(e as Error).message.split('\n')[0]}`);
    }
    return readings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Not awaited: workers import this module for its tasks, and a top-level await would
// keep that import waiting on the run that needs it.
void runIfMain(import.meta.url, main);
