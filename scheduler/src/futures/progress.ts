/**
 * progress(futures): a text progress bar that advances as futures finish (Dask's
 * `distributed.progress`). Writes to stderr when it is a terminal, or wherever `write` says.
 */
import type { Future } from './future.js';

export interface ProgressOptions {
  /** Where to draw (default: stderr). */
  write?: (line: string) => void;
  /** Bar width in characters. */
  width?: number;
  /** Called with (done, total) as each future finishes. */
  onUpdate?: (done: number, total: number) => void;
}

/** Draws `[#####     ] 5/10` as futures complete; resolves when all have. */
export async function progress(
  futures: readonly Future[],
  opts: ProgressOptions = {},
): Promise<void> {
  const total = futures.length;
  const width = opts.width ?? 40;
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  let done = 0;
  const draw = () => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
  };
  draw();
  await Promise.all(
    futures.map((f) =>
      f
        .result()
        .catch(() => undefined)
        .then(() => {
          done++;
          opts.onUpdate?.(done, total);
          draw();
        }),
    ),
  );
  write('\n');
}
