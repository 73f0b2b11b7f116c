/**
 * The cell runner behind the notebooks. A notebook script is split into `// %%` cells and
 * runs each through `nb.cell(title, fn)`, which times it and shows a progress bar while it
 * computes. Stdout carries exactly what the Python notebook prints (`nb.print` has Python's
 * `print` semantics); timings, bars and the closing summary go to stderr.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { type ComputeOptions, delayed } from '@dusk/core';
import { closeConnections, closePools, compute } from '@dusk/scheduler';
import { closeLocalCluster, startLocalCluster } from './cluster.js';
import type { NotebookOptions } from './options.js';
import { noProgress, type ProgressSink, progressBar } from './progress.js';
import { fixed, pyPrintLine } from './py-format.js';
import { workerStart } from './worker-start.js';

/** Where a notebook writes: tests pass collectors, the CLI passes the process streams. */
export interface NotebookIO {
  out(text: string): void;
  err(text: string): void;
  /** Stream for progress bars; none means no bars. */
  progressStream?: NodeJS.WritableStream;
  /** Whether the progress stream is a terminal (for `--progress auto`). */
  isTTY?: boolean;
}

/** The process's own stdout and stderr. */
export function processIO(): NotebookIO {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    progressStream: process.stderr,
    isTTY: process.stderr.isTTY === true,
  };
}

/** A collector, for tests: everything printed, as strings. */
export function memoryIO(): NotebookIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdout: () => out,
    stderr: () => err,
  };
}

export interface StepTiming {
  step: number;
  title: string;
  ms: number;
  /** Peak RSS of the process when the step ended, in MB. */
  peakRssMb: number;
}

/** What a running cell gets: compute options wired to this cell's progress bar. */
export interface Cell {
  /** Pass to `compute()` / `.compute()`: scheduler, workers and progress. */
  readonly compute: ComputeOptions;
}

const MS_PER_S = 1000;

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export class Notebook {
  readonly steps: StepTiming[] = [];
  private readonly started = performance.now();
  /** The distributed scheduler's address: given, or that of the local cluster started. */
  private address?: string;

  constructor(
    readonly title: string,
    readonly opts: NotebookOptions,
    private readonly io: NotebookIO = processIO(),
  ) {
    this.address = opts.address;
  }

  /** Python's `print(*args)`: `str` of each argument, joined by spaces, then a newline. */
  print(...args: unknown[]): void {
    this.io.out(`${pyPrintLine(args)}\n`);
  }

  /** Writes a line to stderr (notes that the Python notebook does not print). */
  note(text: string): void {
    this.io.err(`${text}\n`);
  }

  /** The options every compute in this notebook runs with. */
  computeOptions(progress: ProgressSink = noProgress): ComputeOptions {
    return {
      scheduler: this.opts.scheduler,
      workers: this.opts.workers,
      address: this.address,
      onProgress: progress === noProgress ? undefined : progress.onProgress,
    };
  }

  /** Worker count the scheduler will use. */
  get workerCount(): number {
    if (this.opts.scheduler === 'sync') return 1;
    return this.opts.workers ?? availableParallelism();
  }

  /**
   * Starts the scheduler's workers now (Python's `Client()` starts its cluster), so their
   * start-up is timed as its own step rather than inside the first computation.
   */
  async startWorkers(opts: ComputeOptions = this.computeOptions()): Promise<void> {
    if (this.opts.scheduler === 'sync') return;
    if (this.opts.cluster === 'local' && this.address === undefined) {
      this.address = await startLocalCluster(this.workerCount);
      opts = { ...opts, address: this.address };
    }
    const ping = delayed(workerStart.loadLibraries, { name: 'start-worker' });
    await compute(...Array.from({ length: this.workerCount }, (_, i) => ping(i)), opts);
  }

  /** The line standing for Python's `print(client)`. */
  clientLine(): string {
    const memory = `${fixed(totalmem() / 2 ** 30, 2)} GiB`;
    const separate = this.opts.scheduler === 'processes' || this.opts.scheduler === 'distributed';
    const processes = separate ? this.workerCount : 1;
    return `<Client: '${this.opts.scheduler}' processes=${processes} threads=${this.workerCount}, memory=${memory}>`;
  }

  private showBars(): boolean {
    if (!this.io.progressStream || this.opts.progress === 'off') return false;
    return this.opts.progress === 'on' || this.io.isTTY === true;
  }

  /**
   * Runs one cell: times it, shows a progress bar while it computes, records the step.
   * @example const mean = await nb.cell('Mean sales', (c) => sales.mean().compute(c.compute));
   */
  async cell<T>(title: string, fn: (cell: Cell) => T | Promise<T>): Promise<T> {
    const step = this.steps.length + 1;
    const bar = this.showBars() ? progressBar(title, this.io.progressStream!) : noProgress;
    const t0 = performance.now();
    try {
      return await fn({ compute: this.computeOptions(bar) });
    } finally {
      bar.stop();
      const ms = performance.now() - t0;
      this.steps.push({ step, title, ms, peakRssMb: peakRssMb() });
      this.io.err(`  [step ${step}] ${title}: ${fixed(ms / MS_PER_S, 3)} s\n`);
    }
  }

  /** Total wall time so far, in ms. */
  elapsedMs(): number {
    return performance.now() - this.started;
  }

  /** Prints the timing summary on stderr and writes `--timings-json` if asked. */
  finish(): { steps: StepTiming[]; totalMs: number; peakRssMb: number } {
    const totalMs = this.elapsedMs();
    const summary = { steps: this.steps, totalMs, peakRssMb: peakRssMb() };
    const width = Math.max(...this.steps.map((s) => s.title.length), 5);
    const lines = this.steps.map(
      (s) =>
        `  ${String(s.step).padStart(2)}  ${s.title.padEnd(width)}  ${fixed(s.ms / MS_PER_S, 3).padStart(8)} s`,
    );
    this.io.err(
      [
        `\n${this.title}: step timings (${this.opts.scheduler}, ${this.workerCount} worker(s))`,
        ...lines,
        `      ${'total'.padEnd(width)}  ${fixed(totalMs / MS_PER_S, 3).padStart(8)} s`,
        `      peak RSS ${fixed(summary.peakRssMb, 0)} MB\n`,
      ].join('\n'),
    );
    if (this.opts.timingsJson) {
      writeFileSync(
        this.opts.timingsJson,
        `${JSON.stringify({ title: this.title, ...summary }, null, 2)}\n`,
      );
    }
    return summary;
  }
}

/**
 * Stops the local worker pools, and the local cluster if one was started (Python's
 * `client.close()`). The interval keeps Node's event
 * loop alive meanwhile: idle pool workers are unref'd, so without it a process whose only
 * pending work is waiting for its children to exit ends before the close completes and
 * skips whatever follows (seen with the processes pool).
 */
export async function closeScheduler(): Promise<void> {
  const keepAlive = setInterval(() => {}, 1000);
  try {
    await closePools();
    await closeConnections();
    await closeLocalCluster();
  } finally {
    clearInterval(keepAlive);
  }
}
