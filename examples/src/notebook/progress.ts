/**
 * A progress bar for long notebook steps, fed by compute's `onProgress({ done, total })`.
 * The bar appears only once a step has run for a moment (short steps would just flash)
 * and is cleared when the step ends, leaving the step's timing line.
 */
import cliProgress from 'cli-progress';

/** Steps shorter than this never show a bar. */
const SHOW_AFTER_MS = 400;
const BAR_FORMAT = '{label} [{bar}] {percentage}% | {value}/{total} tasks | {duration_formatted}';

export interface ProgressSink {
  /** Pass as compute's `onProgress`. */
  onProgress(p: { done: number; total: number }): void;
  /** Ends the bar (safe to call when none was shown). */
  stop(): void;
}

/** A sink that shows nothing. */
export const noProgress: ProgressSink = { onProgress() {}, stop() {} };

/**
 * A progress bar on `stream` for one step.
 * @example
 * const bar = progressBar('groupby-sum', process.stderr);
 * await s.compute({ onProgress: bar.onProgress });
 * bar.stop();
 */
export function progressBar(label: string, stream: NodeJS.WritableStream): ProgressSink {
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  // Several computes in one step (e.g. mean, max, min) add up to one bar.
  let base = 0;
  let lastTotal = 0;
  let lastDone = 0;
  return {
    onProgress({ done, total }) {
      if (done < lastDone) base += lastTotal;
      lastDone = done;
      lastTotal = total;
      if (!bar) {
        if (performance.now() - started < SHOW_AFTER_MS) return;
        bar = new cliProgress.SingleBar(
          { format: BAR_FORMAT, stream, clearOnComplete: true, hideCursor: null, fps: 10 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(base + total, base + done, { label });
      }
      bar.setTotal(base + total);
      bar.update(base + done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
